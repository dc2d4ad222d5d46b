function Import-SlaWatchEnvironmentCredential {
    <#
        .SYNOPSIS
        The scanner's credential off Windows, found exactly where the Python scanner finds it.

        .DESCRIPTION
        SLAWATCH_CREDENTIALS_FILE names a 0600 KEY=VALUE file (see Read-SlaWatchCredentialFile) whose
        SLAWATCH_USERNAME and SLAWATCH_PASSWORD win over the variables of the same name in the environment.
        DPAPI does not exist off Windows, so this is the store there: a service manager's environment or a file
        only the scanner's account can read. Nothing found is a SlaWatch.CredentialError (exit code 30).
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCredential])]
    param()

    $values = @{}
    $file = [Environment]::GetEnvironmentVariable('SLAWATCH_CREDENTIALS_FILE')
    if ($file) { $values = Read-SlaWatchCredentialFile -Path $file }
    $found = @{}
    foreach ($name in @('SLAWATCH_USERNAME', 'SLAWATCH_PASSWORD')) {
        $found[$name] = $values[$name]
        if (-not $found[$name]) { $found[$name] = [Environment]::GetEnvironmentVariable($name) }
    }
    if ((-not $found.SLAWATCH_USERNAME) -or (-not $found.SLAWATCH_PASSWORD)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category ObjectNotFound `
                    -Message 'no credentials: set SLAWATCH_USERNAME and SLAWATCH_PASSWORD, or point SLAWATCH_CREDENTIALS_FILE at a 0600 file (Set-SlaWatchCredential -Path writes one)'))
    }
    $secure = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $found.SLAWATCH_PASSWORD).SecurePassword
    New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $found.SLAWATCH_USERNAME, $secure
}
