function Get-SlaWatchTaskInterval {
    <#
        .SYNOPSIS
        Minutes between scheduled scans: a quarter of the smallest SLA, clamped to 1..15 minutes.

        .DESCRIPTION
        A breach is then detected at most SLA/4 late (a 20-minute SLA is checked every 5 minutes), and no folder
        waits more than 15 minutes between checks.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateRange(1, 10080)]
        [int]$SmallestSlaMinutes
    )

    [int][Math]::Max(1, [Math]::Min(15, [Math]::Floor($SmallestSlaMinutes / 4)))
}
