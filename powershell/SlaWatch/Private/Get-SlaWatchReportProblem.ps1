function Get-SlaWatchReportProblem {
    <#
        .SYNOPSIS
        Checks a report body against the report contract before it is sent; returns '$.path: problem' lines.

        .DESCRIPTION
        API Gateway's 400 cannot name a field (its validator answers in its own words), so the scanner names it
        first, as the Python scanner does. A structural check of what this module writes (the contract's required
        fields, types, ranges and enums) runs on Windows PowerShell 5.1 and 7 alike. On PowerShell 7, when the one
        report schema file is at hand (SchemaPath), Test-Json -Schema checks the rest; it answers only true or
        false, so a failure there is reported against the whole document.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Json,

        [string]$SchemaPath
    )

    $problems = New-Object -TypeName 'System.Collections.Generic.List[string]'
    $report = $Json | ConvertFrom-Json
    if (-not (Test-SlaWatchJsonObject -Value $report)) { return '$: must be a JSON object' }
    $folders = $report.sla_error
    if ($null -eq $folders -or -not ($report.PSObject.Properties.Name -contains 'sla_error')) { $problems.Add('$.sla_error: is required') }
    $index = 0
    foreach ($folder in @($folders)) {
        if ($null -eq $folder) { continue }
        $at = '$.sla_error[{0}]' -f $index
        if (-not ($folder.folder -is [string]) -or $folder.folder.Length -lt 1 -or $folder.folder.Length -gt 32767) {
            $problems.Add("$at.folder: must be a string of 1 to 32767 characters")
        }
        if (-not (($folder.sla -is [int]) -or ($folder.sla -is [long])) -or $folder.sla -lt 1 -or $folder.sla -gt 10080) {
            $problems.Add("$at.sla: must be a whole number of minutes between 1 and 10080 (7 days)")
        }
        if (($folder.PSObject.Properties.Name -contains 'status') -and ($folder.status -notin @('ok', 'missing', 'unreadable', 'partial'))) {
            $problems.Add("$at.status: must be one of ok, missing, unreadable, partial")
        }
        $fileIndex = 0
        foreach ($file in @($folder.files)) {
            if ($null -eq $file) { continue }
            $fileAt = '{0}.files[{1}]' -f $at, $fileIndex
            if (-not ($file.filename -is [string]) -or $file.filename.Length -lt 1) { $problems.Add("$fileAt.filename: must not be empty") }
            # PowerShell 7's ConvertFrom-Json turns ISO 8601 strings into DateTime: both are a timestamp here.
            $created = $file.creationDate
            if (-not (($created -is [datetime]) -or (($created -is [string]) -and $created.Length -ge 1 -and $created.Length -le 64))) {
                $problems.Add("$fileAt.creationDate: must be a timestamp string")
            }
            $fileIndex++
        }
        if (-not ($folder.PSObject.Properties.Name -contains 'files')) { $problems.Add("$at.files: is required") }
        $index++
    }

    if (-not $SchemaPath) {
        # Next to the module when shipped with it, else the repository's one schema file (a checkout).
        $moduleRoot = Split-Path -Path $PSScriptRoot -Parent
        $SchemaPath = @(
            [System.IO.Path]::Combine($moduleRoot, 'report.schema.json'),
            [System.IO.Path]::Combine($moduleRoot, '..', '..', 'functions', 'slawatch', 'schemas', 'report.schema.json')
        ) | Where-Object -FilterScript { Test-Path -LiteralPath $_ } | Select-Object -First 1
    }
    $testJson = Get-Command -Name Test-Json -ErrorAction SilentlyContinue
    if (($problems.Count -eq 0) -and $SchemaPath -and $testJson -and $testJson.Parameters.ContainsKey('Schema') -and (Test-Path -LiteralPath $SchemaPath)) {
        # Test-Json (JsonSchema.Net) knows no draft-04 meta-schema; the keywords the contract uses mean the same.
        $schema = Get-Content -LiteralPath $SchemaPath -Raw -Encoding UTF8 | ConvertFrom-Json
        $null = $schema.PSObject.Properties.Remove('$schema')
        if (-not (Test-Json -Json $Json -Schema ($schema | ConvertTo-Json -Depth 64) -ErrorAction SilentlyContinue)) {
            $problems.Add('$: does not match report.schema.json (Test-Json names no field)')
        }
    }
    $problems.ToArray()
}
