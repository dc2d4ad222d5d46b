function Read-SlaWatchCredentialFile {
    <#
        .SYNOPSIS
        Reads the KEY=VALUE credentials file the Python scanner reads (SLAWATCH_CREDENTIALS_FILE), off Windows.

        .DESCRIPTION
        The same format as a systemd EnvironmentFile: KEY=VALUE lines (ConvertFrom-SlaWatchKeyValue). The file
        is refused when its group or others have any permission bit (it holds a password): the fix is chmod 600. Returns a hashtable of the values; any problem is a SlaWatch.CredentialError.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path
    )

    try {
        $mode = [int][System.IO.File]::GetUnixFileMode($Path)
        $lines = [System.IO.File]::ReadAllLines($Path, [System.Text.Encoding]::UTF8)
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category ObjectNotFound -TargetObject $Path `
                    -Message "cannot read the credentials file '$Path': $($_.Exception.InnerException.Message)"))
    }
    if (($mode -band 63) -ne 0) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category SecurityError -TargetObject $Path `
                    -Message "credentials file '$Path' is readable by others; run: chmod 600 $Path"))
    }
    ConvertFrom-SlaWatchKeyValue -Line $lines
}
