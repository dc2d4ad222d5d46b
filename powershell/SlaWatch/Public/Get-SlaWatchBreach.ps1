function Get-SlaWatchBreach {
    <#
        .SYNOPSIS
        Scans the configured folders and returns the SLA report, without sending anything.

        .DESCRIPTION
        Runs the same scan as Invoke-SlaWatchScan and returns the report as an ordered dictionary in the
        contract's shape ({sla_error: [...], scanner: {...}}), or as compact JSON with -AsJson. Nothing is
        spooled or sent, and no credential is needed: use it to check a configuration on a server, or in scripts.

        Each sla_error entry has folder, sla, status (ok, missing, unreadable), ageBasis, fileCount, truncated
        and files; each file has filename (relative to the folder), creationDate (the age-basis instant),
        lastWriteDate and sizeBytes. Dates are ISO 8601 UTC with milliseconds.

        .PARAMETER ConfigPath
        Path of the JSON configuration file (see config/scanner-config.schema.json).

        .PARAMETER AsOf
        Compute file ages as of this instant instead of now.

        .PARAMETER AsJson
        Return the report as the exact JSON text that would be sent (before any chunking).

        .EXAMPLE
        (Get-SlaWatchBreach -ConfigPath .\slawatch.json).sla_error | ForEach-Object { $_.folder + ': ' + $_.files.Count }

        Lists how many files breach in each reported folder.

        .EXAMPLE
        Get-SlaWatchBreach -ConfigPath .\slawatch.json -AsJson

        Prints the report JSON.

        .OUTPUTS
        System.Collections.Specialized.OrderedDictionary, or System.String with -AsJson.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary], [string])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$ConfigPath,

        [datetime]$AsOf,

        [switch]$AsJson
    )

    $settings = Import-SlaWatchConfig -Path $ConfigPath
    Initialize-SlaWatchLog -Settings $settings
    $asOfUtc = [DateTime]::UtcNow
    if ($PSBoundParameters.ContainsKey('AsOf')) { $asOfUtc = ConvertTo-SlaWatchUtc -Date $AsOf }

    $report = Get-SlaWatchReport -Settings $settings -AsOfUtc $asOfUtc
    if ($AsJson) {
        ConvertTo-SlaWatchJson -Report $report
    }
    else {
        $report
    }
}
