function Read-SlaWatchScanState {
    <#
        .SYNOPSIS
        The saved state of the last delivered report (<spool>\heartbeat\state.json): Digest, Since, SentAt (UTC).

        .DESCRIPTION
        $null when there is none, or when it cannot be read (a warning: the scan is then sent, as before). Times
        are the contract's ISO strings; PowerShell 7's ConvertFrom-Json turns them into DateTime, 5.1 does not.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $path = [System.IO.Path]::Combine($Settings.SpoolDirectory, 'heartbeat', 'state.json')
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { return $null }
    try {
        $document = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($path, [System.Text.Encoding]::UTF8)) -ErrorAction Stop
        $times = foreach ($name in @('since', 'sentAt')) {
            $value = Get-SlaWatchJsonValue -Object $document -Name $name
            if ($value -is [datetime]) { ConvertTo-SlaWatchUtc -Date $value }
            else {
                [datetime]::Parse([string]$value, $script:Invariant, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
            }
        }
        $digest = [string](Get-SlaWatchJsonValue -Object $document -Name 'digest')
        if (-not $digest) { throw 'no digest' }
        [pscustomobject]@{ Digest = $digest; Since = $times[0]; SentAt = $times[1] }
    }
    catch {
        Write-SlaWatchLog -Level Warning -Message "ignoring unreadable scan state '$path' ($($_.Exception.Message)); this scan is sent"
        $null
    }
}
