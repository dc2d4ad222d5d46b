function Import-SlaWatchConfig {
    <#
        .SYNOPSIS
        Reads, validates and normalises the scanner configuration file.

        .DESCRIPTION
        Throws a terminating error with ErrorId SlaWatch.ConfigInvalid (exit code 30) listing every problem,
        each naming its field. On success returns the settings hashtable built by ConvertTo-SlaWatchSetting.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.ConfigInvalid' -Category ObjectNotFound `
                    -TargetObject $Path -Message "configuration file '$Path' was not found"))
    }
    $fullPath = (Resolve-Path -LiteralPath $Path).ProviderPath

    try {
        # ReadAllText honours a BOM and defaults to UTF-8; Get-Content on 5.1 would default to the ANSI code page.
        $text = [System.IO.File]::ReadAllText($fullPath, [System.Text.Encoding]::UTF8)
        $raw = ConvertFrom-Json -InputObject $text -ErrorAction Stop
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.ConfigInvalid' -TargetObject $fullPath `
                    -Message "configuration file '$fullPath' is not valid JSON: $($_.Exception.Message)" -InnerException $_.Exception))
    }

    $problems = @(Get-SlaWatchConfigError -Config $raw)
    if ($problems.Count -gt 0) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.ConfigInvalid' -TargetObject $fullPath `
                    -Message ("configuration file '{0}' is invalid: {1}" -f $fullPath, ($problems -join '; '))))
    }

    ConvertTo-SlaWatchSetting -Config $raw -ConfigPath $fullPath
}
