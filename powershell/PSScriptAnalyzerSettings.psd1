@{
    # PSScriptAnalyzer settings for the SlaWatch module and its entry script.
    # CI: Invoke-ScriptAnalyzer -Path powershell/SlaWatch -Recurse -Settings powershell/PSScriptAnalyzerSettings.psd1
    # Every default rule runs; Error and Warning findings fail the build.
    Severity     = @('Error', 'Warning')
    IncludeDefaultRules = $true
    ExcludeRules = @()
    Rules        = @{
        # The module must parse on Windows PowerShell 5.1 and PowerShell 7 (no ??, ?:, ?. and friends).
        PSUseCompatibleSyntax = @{
            Enable         = $true
            TargetVersions = @('5.1', '7.0')
        }
    }
}
