function Get-SlaWatchReport {
    <#
        .SYNOPSIS
        Scans every configured folder (in configuration order) and builds one report in the contract's shape.

        .DESCRIPTION
        A folder goes into sla_error when it has at least one breach, when its status is not ok (missing,
        unreadable) or when it was truncated. An empty sla_error is a heartbeat and is still sent.
        A failure inside one folder is logged with the folder as target and the scan goes on with the next one
        (the folder is then reported as unreadable). "scannedAt" is the instant ages were computed against (-AsOf).
        "folders" lists every folder's outcome (the complete watched set, clean folders included), and
        scanner.intervalMinutes the schedule Register-SlaWatchTask sets (a quarter of the smallest SLA), from which
        the backend decides when this host has gone silent (with scanner.heartbeatMinutes: how often an unchanged
        scan is still sent).
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [datetime]$AsOfUtc
    )

    $identity = Get-SlaWatchScannerIdentity
    $entries = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $outcomes = New-Object -TypeName 'System.Collections.Generic.List[object]'
    $smallestSla = 10080
    foreach ($folder in $Settings.Folders) {
        try {
            $result = Get-SlaWatchFolderResult -Folder $folder -AsOfUtc $AsOfUtc
        }
        catch {
            Write-SlaWatchLog -Level Error -Message "folder '$($folder.Path)': scan failed, reported as unreadable: $($_.Exception.Message)"
            $result = @{
                Included = $true
                Entry    = [ordered]@{
                    folder    = $folder.Path
                    sla       = [int]$folder.SlaMinutes
                    status    = 'unreadable'
                    ageBasis  = $folder.AgeBasis
                    fileCount = 0
                    truncated = $false
                    files     = @()
                }
                Outcome  = [ordered]@{
                    folder               = $folder.Path
                    sla                  = [int]$folder.SlaMinutes
                    status               = 'unreadable'
                    ageBasis             = $folder.AgeBasis
                    filesSeen            = 0
                    pastSla              = 0
                    unreadableSubfolders = 0
                    truncated            = $false
                }
            }
        }
        if ($result.Included) { $entries.Add($result.Entry) }
        $outcomes.Add($result.Outcome)
        $smallestSla = [Math]::Min($smallestSla, [int]$folder.SlaMinutes)
    }

    $scanner = [ordered]@{
        host            = $identity.HostName
        version         = $identity.Version
        scannedAt       = Format-SlaWatchDate -Date $AsOfUtc
        runId           = $identity.RunId
        chunkIndex      = 1
        chunkCount      = 1
        intervalMinutes = Get-SlaWatchTaskInterval -SmallestSlaMinutes $smallestSla
    }
    if ($Settings.ContainsKey('HeartbeatMinutes')) { $scanner.heartbeatMinutes = [int]$Settings.HeartbeatMinutes }
    [ordered]@{
        sla_error = $entries.ToArray()
        folders   = $outcomes.ToArray()
        scanner   = $scanner
    }
}
