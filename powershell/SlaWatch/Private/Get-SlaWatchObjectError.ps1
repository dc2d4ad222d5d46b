function Get-SlaWatchObjectError {
    <#
        .SYNOPSIS
        Validates one JSON object against a rule table; returns one message per problem, naming the field.

        .DESCRIPTION
        A hand-written subset of JSON Schema draft-04, enough for config/scanner-config.schema.json:
        required, unknown properties (additionalProperties false), type, minimum/maximum, minLength,
        pattern, enum, nullable, arrays of non-empty strings. Messages look like
        "folders[2].slaMinutes must be an integer between 1 and 10080".

        Integer means a JSON number without a fraction part as ConvertFrom-Json returns it: Int32/Int64 on
        both editions (20.0 arrives as Decimal on 5.1 and Double on 7 and is rejected, like draft-04).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        [object]$Object,

        # Ordered dictionary: property name -> rule hashtable (Type, Required, Minimum, Maximum, MinLength, Pattern, Hint, Enum, Nullable, Note appended to a range message).
        [Parameter(Mandatory = $true)]
        [System.Collections.IDictionary]$Rule,

        # Path of the object in the document ("api", "folders[2]"); empty for the root.
        [string]$Prefix = ''
    )

    $label = $Prefix
    if (-not $label) { $label = 'the configuration' }
    if (-not (Test-SlaWatchJsonObject -Value $Object)) {
        "$label must be a JSON object"
        return
    }

    $dot = ''
    if ($Prefix) { $dot = "$Prefix." }

    # Names are case-sensitive, as in JSON Schema: "SlaMinutes" is not "slaMinutes".
    $known = @($Rule.Keys)
    foreach ($property in $Object.PSObject.Properties) {
        if ($known -cnotcontains $property.Name) {
            "$dot$($property.Name) is not a recognised setting (check the spelling against config/scanner-config.schema.json)"
        }
    }

    foreach ($name in $Rule.Keys) {
        $spec = $Rule[$name]
        $field = "$dot$name"
        $property = $Object.PSObject.Properties[$name]
        if ($null -eq $property) {
            if ($spec.Required) { "$field is required" }
            continue
        }
        $value = $property.Value
        if ($null -eq $value) {
            if (-not $spec.Nullable) { "$field must not be null" }
            continue
        }

        $isInteger = ($value -is [int]) -or ($value -is [long])
        $isNumber = $isInteger -or ($value -is [double]) -or ($value -is [decimal])
        switch ($spec.Type) {
            'integer' {
                $inRange = $isInteger
                if ($inRange -and $spec.ContainsKey('Minimum') -and ([double]$value -lt $spec.Minimum)) { $inRange = $false }
                if ($inRange -and $spec.ContainsKey('Maximum') -and ([double]$value -gt $spec.Maximum)) { $inRange = $false }
                if (-not $inRange) {
                    if ($spec.ContainsKey('Maximum')) { "$field must be an integer between $($spec.Minimum) and $($spec.Maximum)$($spec.Note)" }
                    else { "$field must be an integer of at least $($spec.Minimum)$($spec.Note)" }
                }
            }
            'number' {
                $inRange = $isNumber
                if ($inRange -and $spec.ContainsKey('Minimum') -and ([double]$value -lt $spec.Minimum)) { $inRange = $false }
                if ($inRange -and $spec.ContainsKey('Maximum') -and ([double]$value -gt $spec.Maximum)) { $inRange = $false }
                if (-not $inRange) {
                    if ($spec.ContainsKey('Maximum')) { "$field must be a number between $($spec.Minimum) and $($spec.Maximum)" }
                    else { "$field must be a number of at least $($spec.Minimum)" }
                }
            }
            'boolean' {
                if ($value -isnot [bool]) { "$field must be true or false" }
            }
            'string' {
                if ($value -isnot [string]) {
                    "$field must be a string"
                }
                elseif ($spec.ContainsKey('Enum')) {
                    if ($spec.Enum -cnotcontains $value) { "$field must be one of $($spec.Enum -join ', ')" }
                }
                elseif ($value.Length -lt 1) {
                    "$field must not be empty"
                }
                elseif ($spec.ContainsKey('MaxLength') -and $value.Length -gt $spec.MaxLength) {
                    "$field must be at most $($spec.MaxLength) characters"
                }
                elseif ($spec.ContainsKey('Pattern') -and $value -cnotmatch $spec.Pattern) {
                    "$field $($spec.Hint)"
                }
            }
            'stringArray' {
                $valid = $value -is [array]
                if ($valid) {
                    foreach ($item in $value) {
                        if (($item -isnot [string]) -or ($item.Length -lt 1)) { $valid = $false }
                    }
                }
                if (-not $valid) { "$field must be an array of non-empty strings" }
            }
            default {
                throw "Get-SlaWatchObjectError: unknown rule type '$($spec.Type)' for $field"
            }
        }
    }
}
