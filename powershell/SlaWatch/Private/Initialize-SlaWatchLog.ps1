function Initialize-SlaWatchLog {
    <#
        .SYNOPSIS
        Points Write-SlaWatchLog at this run's log file (log.directory) and Event Log setting (log.eventLog).

        .DESCRIPTION
        Without log.directory the module logs to the PowerShell streams only (Verbose/Warning). A log folder that
        cannot be created is a warning, not a failure: the scan itself matters more than its log.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $state = @{
        Path        = $null
        MaxBytes    = [long]$Settings.LogMaxBytes
        Keep        = [int]$Settings.LogKeep
        EventLog    = [bool]$Settings.EventLog
        FileFailed  = $false
        EventFailed = $false
    }
    if ($Settings.LogDirectory) {
        try {
            if (-not (Test-Path -LiteralPath $Settings.LogDirectory -PathType Container)) {
                $null = New-Item -ItemType Directory -Path $Settings.LogDirectory -Force -ErrorAction Stop
            }
            $state.Path = [System.IO.Path]::Combine($Settings.LogDirectory, 'slawatch.log')
        }
        catch {
            Write-Warning -Message "SlaWatch: cannot create the log folder '$($Settings.LogDirectory)': $($_.Exception.Message)"
        }
    }
    $script:SlaWatchLog = $state
}
