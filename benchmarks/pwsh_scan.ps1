# The PowerShell scanner's dry run for the benchmark: import the module from this repository, scan as of a fixed
# instant (Unix milliseconds, UTC), print the number of breaches found. Nothing is sent or spooled.
param(
    [Parameter(Mandatory = $true)][string]$ConfigPath,
    [Parameter(Mandatory = $true)][long]$AsOfUnixMs
)
$ErrorActionPreference = 'Stop'
Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../powershell/SlaWatch/SlaWatch.psd1') -Force
$asOf = [DateTimeOffset]::FromUnixTimeMilliseconds($AsOfUnixMs).UtcDateTime
$result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -DryRun -AsOf $asOf 6>$null
Write-Output -InputObject $result.BreachCount
