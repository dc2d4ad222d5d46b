function Test-SlaWatchConfig {
    <#
        .SYNOPSIS
        Validates a configuration file and reports every problem, each naming its field.

        .DESCRIPTION
        Applies the rules of config/scanner-config.schema.json (the file the Python scanner validates against):
        required settings, types and ranges, allowed values, and no unknown settings (a typo is an error, not a
        silently ignored setting). Returns $true when the file is valid; otherwise writes one warning per problem,
        for example "folders[2].slaMinutes must be an integer between 1 and 10080" (positions are 0-based), and
        returns $false.

        .PARAMETER Path
        Path of the JSON configuration file.

        .EXAMPLE
        Test-SlaWatchConfig -Path C:\ProgramData\SlaWatch\slawatch.json

        .OUTPUTS
        System.Boolean
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$Path
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        Write-Warning -Message "configuration file '$Path' was not found"
        return $false
    }
    try {
        $text = [System.IO.File]::ReadAllText((Resolve-Path -LiteralPath $Path).ProviderPath, [System.Text.Encoding]::UTF8)
        $raw = ConvertFrom-Json -InputObject $text -ErrorAction Stop
    }
    catch {
        Write-Warning -Message "configuration file '$Path' is not valid JSON: $($_.Exception.Message)"
        return $false
    }

    $problems = @(Get-SlaWatchConfigError -Config $raw)
    foreach ($problem in $problems) { Write-Warning -Message $problem }
    $problems.Count -eq 0
}
