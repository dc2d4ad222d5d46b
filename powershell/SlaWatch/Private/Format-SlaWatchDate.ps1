function Format-SlaWatchDate {
    <#
        .SYNOPSIS
        Formats an instant as the report contract wants it: ISO 8601 UTC with milliseconds (2026-11-28T10:00:00.000Z).

        .DESCRIPTION
        Formatted by hand, never by ConvertTo-Json: Windows PowerShell 5.1 would write "\/Date(ms)\/".
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [datetime]$Date
    )

    (ConvertTo-SlaWatchUtc -Date $Date).ToString($script:DateFormat, $script:Invariant)
}
