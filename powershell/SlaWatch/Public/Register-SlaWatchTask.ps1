function Register-SlaWatchTask {
    <#
        .SYNOPSIS
        Registers the Windows scheduled task that runs the scan, at an interval derived from the smallest SLA.

        .DESCRIPTION
        The task starts the entry script Invoke-SlaWatch.ps1 with the configuration file and:
        - repeats every min(SLA)/4 minutes, clamped to 1..15 (a 20-minute SLA is checked every 5 minutes), so a
          breach is detected at most a quarter of its SLA late; it repeats indefinitely;
        - never starts a second instance while one is running (MultipleInstances IgnoreNew);
        - is stopped after ExecutionTimeLimit; starts when available after a missed start;
        - runs as the given account whether or not it is logged on, with least privileges.

        The account must be able to read the watched folders and must own the credential file: run
        Set-SlaWatchCredential as that account first. With log.eventLog the Event Log source "SlaWatch" is
        registered as well (needs an elevated session, like registering the task).

        .PARAMETER ConfigPath
        Path of the JSON configuration file; it is validated first.

        .PARAMETER ScriptPath
        Path of the entry script Invoke-SlaWatch.ps1 as installed on the server.

        .PARAMETER Credential
        Account the task runs as (a domain or local service account; its password is given to Task Scheduler).

        .PARAMETER ServiceAccount
        Instead of -Credential: a group managed service account ("CONTOSO\gmsa-slawatch$") or a built-in service
        account ("NT AUTHORITY\SYSTEM"); no password is needed.

        .PARAMETER TaskName
        Name of the task. Default: SlaWatch.

        .PARAMETER TaskPath
        Task Scheduler folder. Default: \SlaWatch\.

        .PARAMETER PowerShellPath
        PowerShell executable. Default: Windows PowerShell 5.1 (powershell.exe); use pwsh.exe for PowerShell 7.

        .PARAMETER ExecutionPolicy
        Execution policy for the task's process. Default: RemoteSigned (unblock downloaded files with Unblock-File).

        .PARAMETER ExecutionTimeLimit
        Stop a run that takes longer than this. Default: 1 hour.

        .EXAMPLE
        Register-SlaWatchTask -ConfigPath C:\ProgramData\SlaWatch\slawatch.json -ScriptPath C:\ProgramData\SlaWatch\Invoke-SlaWatch.ps1 -ServiceAccount 'CONTOSO\gmsa-slawatch$'

        .EXAMPLE
        Register-SlaWatchTask -ConfigPath C:\ProgramData\SlaWatch\slawatch.json -ScriptPath C:\ProgramData\SlaWatch\Invoke-SlaWatch.ps1 -Credential (Get-Credential CONTOSO\svc-slawatch) -WhatIf

        .OUTPUTS
        Microsoft.Management.Infrastructure.CimInstance#MSFT_ScheduledTask
    #>
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ServiceAccount')]
    [OutputType('Microsoft.Management.Infrastructure.CimInstance#MSFT_ScheduledTask')]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$ConfigPath,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$ScriptPath,

        [Parameter(Mandatory = $true, ParameterSetName = 'Credential')]
        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential,

        [Parameter(Mandatory = $true, ParameterSetName = 'ServiceAccount')]
        [ValidateNotNullOrEmpty()]
        [string]$ServiceAccount,

        [ValidateNotNullOrEmpty()]
        [string]$TaskName = 'SlaWatch',

        [ValidateNotNullOrEmpty()]
        [string]$TaskPath = '\SlaWatch\',

        [string]$PowerShellPath = [System.IO.Path]::Combine([Environment]::GetFolderPath('System'), 'WindowsPowerShell', 'v1.0', 'powershell.exe'),

        [ValidateSet('RemoteSigned', 'AllSigned', 'Bypass')]
        [string]$ExecutionPolicy = 'RemoteSigned',

        [timespan]$ExecutionTimeLimit = [timespan]::FromHours(1)
    )

    if (-not $script:IsWindowsPlatform) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.PlatformNotSupported' -Category NotImplemented `
                    -Message 'Register-SlaWatchTask needs Windows Task Scheduler; on Linux schedule the Python scanner with systemd or cron'))
    }
    $settings = Import-SlaWatchConfig -Path $ConfigPath
    if (-not (Test-Path -LiteralPath $ScriptPath -PathType Leaf)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.ConfigInvalid' -Category ObjectNotFound -TargetObject $ScriptPath `
                    -Message "entry script '$ScriptPath' was not found: copy powershell\Invoke-SlaWatch.ps1 to the server first"))
    }
    $entryScript = (Resolve-Path -LiteralPath $ScriptPath).ProviderPath

    $smallest = 10080
    foreach ($folder in $settings.Folders) { if ($folder.SlaMinutes -lt $smallest) { $smallest = $folder.SlaMinutes } }
    $interval = Get-SlaWatchTaskInterval -SmallestSlaMinutes $smallest

    $arguments = '-NoProfile -NonInteractive -ExecutionPolicy {0} -File "{1}" -ConfigPath "{2}"' -f $ExecutionPolicy, $entryScript, $settings.ConfigPath
    $action = New-ScheduledTaskAction -Execute $PowerShellPath -Argument $arguments -WorkingDirectory (Split-Path -Path $entryScript -Parent)
    # No RepetitionDuration: the trigger repeats indefinitely (Windows Server 2016 and later).
    $trigger = New-ScheduledTaskTrigger -Once -At ([DateTime]::Now.AddMinutes(1)) -RepetitionInterval ([timespan]::FromMinutes($interval))
    $taskSettings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit $ExecutionTimeLimit `
        -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
    $description = 'slawatch folder-SLA scan every {0} minute(s) (smallest SLA {1} minutes). Configuration: {2}. Exit codes: 0 clean, 10 breaches reported, 20 delivery failed (spooled), 30 configuration/credential error, 1 unexpected.' -f `
        $interval, $smallest, $settings.ConfigPath

    $registration = @{
        TaskName    = $TaskName
        TaskPath    = $TaskPath
        Action      = $action
        Trigger     = $trigger
        Settings    = $taskSettings
        Description = $description
        Force       = $true
    }
    $account = $ServiceAccount
    if ($PSCmdlet.ParameterSetName -eq 'Credential') { $account = $Credential.UserName }

    if ($PSCmdlet.ShouldProcess("$TaskPath$TaskName", "Register a scheduled task running as '$account' every $interval minute(s)")) {
        if ($settings.EventLog) {
            try {
                if (-not [System.Diagnostics.EventLog]::SourceExists('SlaWatch')) {
                    [System.Diagnostics.EventLog]::CreateEventSource('SlaWatch', 'Application')
                }
            }
            catch {
                Write-Warning -Message "could not register the Event Log source 'SlaWatch' (run elevated): $($_.Exception.Message)"
            }
        }

        if ($PSCmdlet.ParameterSetName -eq 'Credential') {
            Register-ScheduledTask @registration -User $Credential.UserName -Password ($Credential.GetNetworkCredential().Password) -RunLevel Limited
        }
        else {
            $logonType = 'ServiceAccount'
            if ($ServiceAccount.EndsWith('$')) { $logonType = 'Password' }
            $principal = New-ScheduledTaskPrincipal -UserId $ServiceAccount -LogonType $logonType -RunLevel Limited
            Register-ScheduledTask @registration -Principal $principal
        }
    }
}
