@{
    # Module manifest for SlaWatch: the Windows file-server scanner of the slawatch folder-SLA monitor.
    RootModule           = 'SlaWatch.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '7e4f815e-7fe9-47e8-bf54-963f4e75b455'
    Author               = 'slawatch engineering'
    CompanyName          = 'slawatch'
    Copyright            = '(c) slawatch contributors. All rights reserved.'
    Description          = 'Finds files that sat in watched folders past the folder SLA and delivers them to the slawatch API (Cognito-authenticated, retried, spooled). Runs under Task Scheduler on Windows PowerShell 5.1 and PowerShell 7.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')

    # Explicit lists: no wildcards, so discovery is fast and the public surface is reviewed on every change.
    FunctionsToExport    = @(
        'Get-SlaWatchBreach'
        'Invoke-SlaWatchScan'
        'Register-SlaWatchTask'
        'Send-SlaWatchSpool'
        'Set-SlaWatchCredential'
        'Test-SlaWatchConfig'
        'Unregister-SlaWatchTask'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('SLA', 'Monitoring', 'FileSystem', 'Windows', 'TaskScheduler', 'Cognito')
            ReleaseNotes = 'First release: scanner, report contract, Cognito authentication, retry/spool/dead-letter delivery, scheduled task.'
        }
    }
}
