function Get-SlaWatchJsonValue {
    <#
        .SYNOPSIS
        Returns a property of a parsed JSON object, or the default when it is absent or null.
    #>
    [CmdletBinding()]
    [OutputType([object])]
    param(
        [AllowNull()]
        [object]$Object,

        [Parameter(Mandatory = $true)]
        [string]$Name,

        [AllowNull()]
        [object]$Default
    )

    if ($Object -is [System.Collections.IDictionary]) {
        # A report the module built ([ordered] dictionaries) reads like the same report parsed from JSON.
        if ($Object.Contains($Name) -and ($null -ne $Object[$Name])) { return , $Object[$Name] }
        return , $Default
    }
    if ($null -ne $Object) {
        $property = $Object.PSObject.Properties[$Name]
        if (($null -ne $property) -and ($null -ne $property.Value)) {
            # The unary comma keeps a one-element array an array.
            return , $property.Value
        }
    }
    return , $Default
}
