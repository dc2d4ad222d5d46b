function Limit-SlaWatchSpool {
    <#
        .SYNOPSIS
        Keeps the spool within spool.maxFiles and spool.maxBytes by deleting the oldest bodies, loudly.

        .DESCRIPTION
        A dropped body is a lost report, so every drop is an Error line in the log and an Event Log entry
        (event id 3001) whatever log.eventLog says. Returns the number of dropped bodies.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $items = @(Get-SlaWatchSpoolItem -Settings $Settings)
    [long]$total = 0
    foreach ($item in $items) { $total += $item.Length }
    $dropped = 0
    $index = 0
    while (($index -lt $items.Count) -and ((($items.Count - $index) -gt $Settings.SpoolMaxFiles) -or ($total -gt $Settings.SpoolMaxBytes))) {
        $victim = $items[$index]
        try {
            Remove-Item -LiteralPath $victim.FullName -Force -ErrorAction Stop
            $dropped++
            Write-SlaWatchLog -Level Error -EventLog -EventId 3001 -Message ("spool full: dropped the oldest undelivered report '{0}' ({1} bytes) to stay within spool.maxFiles={2} and spool.maxBytes={3}; that report is lost" -f `
                    $victim.Name, $victim.Length, $Settings.SpoolMaxFiles, $Settings.SpoolMaxBytes)
        }
        catch {
            Write-SlaWatchLog -Level Error -Message "spool full, and '$($victim.FullName)' could not be deleted: $($_.Exception.Message)"
        }
        $total -= $victim.Length
        $index++
    }
    $dropped
}
