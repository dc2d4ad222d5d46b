#Requires -Version 5.1
<#
    .SYNOPSIS
    Entry script for the SlaWatch scheduled task: runs one scan and exits with its exit code.

    .DESCRIPTION
    Task Scheduler runs:
        powershell.exe -NoProfile -NonInteractive -ExecutionPolicy RemoteSigned -File <this script> -ConfigPath <config>
    (Register-SlaWatchTask sets this up). The process exit code tells monitoring what happened:
        0   clean run: nothing breached and every folder ok
        10  report(s) with breaches or folder problems delivered
        20  delivery failed: report(s) spooled, or dead-lettered after a 4xx
        30  configuration or credential error (including Cognito NotAuthorized and challenges)
        1   unexpected error (including a module that cannot be loaded)

    The SlaWatch module is loaded from a SlaWatch folder next to this script when there is one, otherwise from
    $env:PSModulePath (e.g. C:\Program Files\WindowsPowerShell\Modules\SlaWatch).

    .PARAMETER ConfigPath
    Path of the JSON configuration file. Default: $env:SLAWATCH_CONFIG, else %ProgramData%\SlaWatch\config.json.

    .PARAMETER DryRun
    Scan and print the report(s); send nothing.

    .PARAMETER AsOf
    Judge file ages as of this instant instead of now (e.g. 2026-11-28T12:00:00Z), as slawatch scan --as-of does.

    .EXAMPLE
    .\Invoke-SlaWatch.ps1 -ConfigPath C:\ProgramData\SlaWatch\slawatch.json -DryRun
#>
[CmdletBinding()]
param(
    # Default: $env:SLAWATCH_CONFIG, else %ProgramData%\SlaWatch\config.json.
    [string]$ConfigPath,

    [switch]$DryRun,

    [datetime]$AsOf
)

$ErrorActionPreference = 'Stop'
try {
    $bundled = Join-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch') -ChildPath 'SlaWatch.psd1'
    if (Test-Path -LiteralPath $bundled) {
        Import-Module -Name $bundled -Force
    }
    else {
        Import-Module -Name SlaWatch -Force
    }

    $scan = @{ DryRun = $DryRun }
    if ($ConfigPath) { $scan.ConfigPath = $ConfigPath }
    if ($PSBoundParameters.ContainsKey('AsOf')) { $scan.AsOf = $AsOf }
    $result = Invoke-SlaWatchScan @scan
    if ($result.Message) { Write-Output -InputObject ("SlaWatch: {0}" -f $result.Message) }
    if ($result.Unchanged) { Write-Output -InputObject ("SlaWatch: {0}" -f $result.Unchanged) }
    Write-Output -InputObject ('SlaWatch: run {0} exit code {1} (chunks={2} delivered={3} deadLettered={4} spooled={5})' -f `
            $result.RunId, $result.ExitCode, $result.Chunks, $result.Delivered, $result.DeadLettered, $result.Spooled)
    exit [int]$result.ExitCode
}
catch {
    Write-Output -InputObject ("SlaWatch: unexpected error: {0}" -f $_.Exception.Message)
    exit 1
}
