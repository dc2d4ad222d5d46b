function ConvertTo-SlaWatchJson {
    <#
        .SYNOPSIS
        Serialises a report to compact JSON the same way on Windows PowerShell 5.1 and PowerShell 7.

        .DESCRIPTION
        The report is built from [ordered] dictionaries (key order is part of the contract), arrays are real
        object[] values held in dictionaries (so one-element arrays stay arrays), dates are pre-formatted strings
        (5.1 would write "\/Date(ms)\/"), and -Depth 10 covers the report's 4 levels (the default of 2 would turn
        files into "System.Collections.Hashtable"). -InputObject, never the pipeline, so nothing is unrolled.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]$Report
    )

    ConvertTo-Json -InputObject $Report -Depth 10 -Compress
}
