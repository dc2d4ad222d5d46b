function Read-SlaWatchCredentialFile {
    <#
        .SYNOPSIS
        Reads the KEY=VALUE credentials file the Python scanner reads (SLAWATCH_CREDENTIALS_FILE), off Windows.

        .DESCRIPTION
        The same format as a systemd EnvironmentFile: one KEY=VALUE per line, '#' comments, optional quotes and
        "export ". The file is refused when its group or others have any permission bit (it holds a password):
        the fix is chmod 600. Returns a hashtable of the values; any problem is a SlaWatch.CredentialError.
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
    $values = @{}
    foreach ($line in $lines) {
        $text = $line.Trim()
        if ((-not $text) -or $text.StartsWith('#') -or ($text.IndexOf('=') -lt 0)) { continue }
        $at = $text.IndexOf('=')
        $key = $text.Substring(0, $at).Trim()
        if ($key.StartsWith('export ')) { $key = $key.Substring(7).Trim() }
        $value = $text.Substring($at + 1).Trim()
        if (($value.Length -ge 2) -and ($value[0] -eq $value[-1]) -and ("'`"".IndexOf($value[0]) -ge 0)) {
            $value = $value.Substring(1, $value.Length - 2)
        }
        $values[$key] = $value
    }
    $values
}
