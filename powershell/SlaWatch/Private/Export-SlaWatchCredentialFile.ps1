function Export-SlaWatchCredentialFile {
    <#
        .SYNOPSIS
        Off Windows: writes the credential as the 0600 KEY=VALUE file that SLAWATCH_CREDENTIALS_FILE names, the
        file both scanners read (Read-SlaWatchCredentialFile, and the Python scanner's auth module).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCredential]$Credential
    )

    $password = $Credential.GetNetworkCredential().Password
    if (($password.IndexOf("'") -ge 0) -or ($password.IndexOfAny([char[]]"`r`n") -ge 0)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category InvalidData -TargetObject $Path `
                    -Message 'the password contains a single quote or a line break, which the KEY=VALUE credentials file cannot hold'))
    }
    $text = "# slawatch scanner login (read by SLAWATCH_CREDENTIALS_FILE); keep it mode 0600`nSLAWATCH_USERNAME={0}`nSLAWATCH_PASSWORD='{1}'`n" -f $Credential.UserName, $password
    $password = $null
    Write-SlaWatchPrivateFile -Path $Path -Bytes $script:Utf8NoBom.GetBytes($text)
}
