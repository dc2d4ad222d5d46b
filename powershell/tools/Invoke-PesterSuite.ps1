<#
.SYNOPSIS
    Runs every Pester suite in powershell/tests and writes a JUnit result file; the exit code is the number of
    failed tests (or 1 when Pester itself could not run).
.DESCRIPTION
    What `make test` runs (through tests/powershell/test_pester.py) and what a developer can run by hand:
        pwsh -NoProfile -File powershell/tools/Invoke-PesterSuite.ps1 -PesterModule <Pester.psd1>
    Without -PesterModule the newest installed Pester 5 is imported. Tests tagged Windows skip themselves off
    Windows with their reason; they run on the Windows jobs of .github/workflows/powershell.yml.
#>
[CmdletBinding()]
param(
    # Path to Pester.psd1 (PESTER_MODULE); empty means Import-Module Pester from the module path.
    [string]$PesterModule = $env:PESTER_MODULE,
    # Where the JUnit XML goes (its folder is created).
    [string]$ResultPath = (Join-Path -Path $PSScriptRoot -ChildPath '../../.test-results/pester.xml'),
    # Test files or folders to run; the whole suite by default.
    [string[]]$Path = @(Join-Path -Path $PSScriptRoot -ChildPath '../tests'),
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string]$Verbosity = 'Normal'
)
$ErrorActionPreference = 'Stop'
if (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue) { $PSStyle.OutputRendering = 'PlainText' }
try {
    if ($PesterModule) {
        Import-Module -Name (Resolve-Path -LiteralPath $PesterModule).ProviderPath -Force
    } else {
        Import-Module -Name Pester -MinimumVersion 5.5.0 -MaximumVersion 5.99.99 -Force
    }
    $resultFolder = Split-Path -Path $ResultPath -Parent
    if ($resultFolder -and -not (Test-Path -LiteralPath $resultFolder)) {
        $null = New-Item -ItemType Directory -Path $resultFolder -Force
    }
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $Path
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = $Verbosity
    $configuration.Output.RenderMode = 'Plaintext'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'JUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
    $result = Invoke-Pester -Configuration $configuration
} catch {
    [Console]::Error.WriteLine("Pester could not run: $($_.Exception.Message)")
    exit 1
}
$pesterVersion = (Get-Module -Name Pester).Version
$line = 'Pester {0} on PowerShell {1} ({2}): {3} passed, {4} failed, {5} skipped, {6} inconclusive, {7} not run; {8}' -f
    $pesterVersion, $PSVersionTable.PSVersion, $PSVersionTable.OS, $result.PassedCount, $result.FailedCount,
    $result.SkippedCount, $result.InconclusiveCount, $result.NotRunCount, (Resolve-Path -LiteralPath $ResultPath)
Write-Output $line
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($failed -gt 0) {
    foreach ($test in $result.Failed) {
        Write-Output ('FAILED: {0}' -f $test.ExpandedPath)
    }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        Write-Output ('FAILED (setup): {0}' -f $(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item }))
    }
}
exit [Math]::Min($failed, 255)
