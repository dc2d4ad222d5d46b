function ConvertTo-SlaWatchUtc {
    <#
        .SYNOPSIS
        Returns the UTC form of a DateTime; a DateTime of unspecified kind is taken as local time (as .NET does).
    #>
    [CmdletBinding()]
    [OutputType([datetime])]
    param(
        [Parameter(Mandatory = $true)]
        [datetime]$Date
    )

    if ($Date.Kind -eq [System.DateTimeKind]::Utc) { return $Date }
    $Date.ToUniversalTime()
}
