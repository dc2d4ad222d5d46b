function Import-SlaWatchCredential {
    <#
        .SYNOPSIS
        Loads the scanner's PSCredential from the DPAPI-protected file written by Set-SlaWatchCredential.

        .DESCRIPTION
        DPAPI binds the file to the account and computer that wrote it: the task's own account must create it on
        this server. Any failure is a SlaWatch.CredentialError (exit code 30) that says so.
        Off Windows there is no DPAPI: the credential comes from the environment or a 0600 file, as for the Python
        scanner (Import-SlaWatchEnvironmentCredential), and -Path is not used.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.PSCredential])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path
    )

    if (-not $script:IsWindowsPlatform) { return Import-SlaWatchEnvironmentCredential }
    $account = '{0}\{1}' -f [Environment]::UserDomainName, [Environment]::UserName
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category ObjectNotFound -TargetObject $Path `
                    -Message "no scanner credential at '$Path': run Set-SlaWatchCredential as the account the task runs as ($account) on this computer"))
    }
    try {
        $credential = Import-Clixml -LiteralPath $Path -ErrorAction Stop
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category SecurityError -TargetObject $Path `
                    -InnerException $_.Exception -Message (("cannot read the scanner credential '{0}' as {1} on {2}: {3} " -f $Path, $account, [Environment]::MachineName, $_.Exception.Message) +
                        'DPAPI ties the file to the account and computer that wrote it: run Set-SlaWatchCredential again as this account on this computer.')))
    }
    if ($credential -isnot [System.Management.Automation.PSCredential]) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -TargetObject $Path `
                    -Message "'$Path' does not hold a PSCredential: write it with Set-SlaWatchCredential"))
    }
    $credential
}
