function Test-SlaWatchJsonObject {
    <#
        .SYNOPSIS
        True when a value came from a JSON object (ConvertFrom-Json yields PSCustomObject on 5.1 and 7).
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [AllowNull()]
        [object]$Value
    )

    ($null -ne $Value) -and ($Value.GetType().FullName -eq 'System.Management.Automation.PSCustomObject')
}
