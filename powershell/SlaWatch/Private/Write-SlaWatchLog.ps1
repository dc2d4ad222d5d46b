function Write-SlaWatchLog {
    <#
        .SYNOPSIS
        Writes one log line: to the rotating log file, to the Verbose/Warning stream and optionally the Event Log.

        .DESCRIPTION
        Line format: "<UTC timestamp> <LEVEL> <message>". The file rotates when it reaches log.maxBytes
        (slawatch.log -> slawatch.1.log ... slawatch.<keep>.log). Warnings and errors go to the Windows
        Application log (source SlaWatch) when log.eventLog is true; -EventLog forces an entry (used for spool
        drops). As a last line of defence anything that looks like a bearer token or a JWT is redacted: callers
        never pass secrets, and this makes sure a mistake cannot leak one.
        Logging never throws: a log problem is reported once as a warning and the run goes on.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('Info', 'Warning', 'Error')]
        [string]$Level = 'Info',

        [Parameter(Mandatory = $true)]
        [string]$Message,

        [switch]$EventLog,

        [int]$EventId = 0
    )

    $clean = $Message -replace '(?i)(bearer\s+)[^\s"'']+', '$1<redacted>'
    $clean = $clean -replace 'eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*', '<redacted-jwt>'
    $clean = $clean -replace '(?i)("(PASSWORD|REFRESH_TOKEN|AccessToken|IdToken|RefreshToken)"\s*:\s*")[^"]*', '$1<redacted>'

    if ($Level -eq 'Info') { Write-Verbose -Message "SlaWatch: $clean" }
    else { Write-Warning -Message "SlaWatch: $clean" }

    $state = $script:SlaWatchLog
    if ($null -eq $state) { return }

    if ($state.Path -and -not $state.FileFailed) {
        try {
            $file = New-Object -TypeName System.IO.FileInfo -ArgumentList $state.Path
            if ($file.Exists -and ($file.Length -ge $state.MaxBytes)) {
                $stem = $state.Path.Substring(0, $state.Path.Length - 4)
                $oldest = '{0}.{1}.log' -f $stem, $state.Keep
                if (Test-Path -LiteralPath $oldest) { Remove-Item -LiteralPath $oldest -Force }
                for ($i = $state.Keep - 1; $i -ge 1; $i--) {
                    $from = '{0}.{1}.log' -f $stem, $i
                    if (Test-Path -LiteralPath $from) { Move-Item -LiteralPath $from -Destination ('{0}.{1}.log' -f $stem, ($i + 1)) -Force }
                }
                Move-Item -LiteralPath $state.Path -Destination ('{0}.1.log' -f $stem) -Force
            }
            $stamp = [DateTime]::UtcNow.ToString($script:DateFormat, $script:Invariant)
            $line = '{0} {1} {2}{3}' -f $stamp, $Level.ToUpperInvariant().PadRight(7), $clean, [Environment]::NewLine
            [System.IO.File]::AppendAllText($state.Path, $line, $script:Utf8NoBom)
        }
        catch {
            $state.FileFailed = $true
            Write-Warning -Message "SlaWatch: cannot write the log file '$($state.Path)' (file logging off for this run): $($_.Exception.Message)"
        }
    }

    # Warnings and errors when log.eventLog is on; -EventLog entries (spool drops, lost reports) always.
    $toEventLog = ($state.EventLog -and ($Level -ne 'Info')) -or $EventLog
    if ($toEventLog -and -not $state.EventFailed) {
        try {
            $type = [System.Diagnostics.EventLogEntryType]::Information
            $id = 1000
            if ($Level -eq 'Warning') { $type = [System.Diagnostics.EventLogEntryType]::Warning; $id = 2000 }
            if ($Level -eq 'Error') { $type = [System.Diagnostics.EventLogEntryType]::Error; $id = 3000 }
            if ($EventId -gt 0) { $id = $EventId }
            [System.Diagnostics.EventLog]::WriteEntry('SlaWatch', $clean, $type, $id)
        }
        catch {
            $state.EventFailed = $true
            Write-Warning -Message "SlaWatch: cannot write to the Application event log (register the source with Register-SlaWatchTask as administrator): $($_.Exception.Message)"
        }
    }
}
