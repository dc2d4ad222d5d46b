<#
    Module surface (exports, help, CmdletBinding, PSCredential), the scheduled task (interval from the smallest SLA,
    IgnoreNew, indefinite repetition), the DPAPI credential file and the rotating log.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $IsWindowsHost = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
    $Manifest = Import-PowerShellDataFile -Path (Get-TestModulePath)
    $PublicFunctions = @(Get-ChildItem -Path (Join-Path -Path (Get-TestRepoRoot) -ChildPath 'powershell/SlaWatch/Public') -Filter '*.ps1' |
            ForEach-Object -Process { $_.BaseName } | Sort-Object)
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Module surface' {
    It 'exports exactly the functions of Public/, as listed in the manifest' {
        $exported = @((Get-Module -Name SlaWatch).ExportedFunctions.Keys | Sort-Object)
        ($exported -join ',') | Should -Be ($PublicFunctions -join ',')
        (@($Manifest.FunctionsToExport | Sort-Object) -join ',') | Should -Be ($PublicFunctions -join ',')
        @($Manifest.CmdletsToExport).Count | Should -Be 0
        @($Manifest.AliasesToExport).Count | Should -Be 0
    }

    It 'runs on Windows PowerShell 5.1 and PowerShell 7' {
        $Manifest.PowerShellVersion | Should -Be '5.1'
        ($Manifest.CompatiblePSEditions -join ',') | Should -Be 'Desktop,Core'
    }

    It '<_> is an advanced function with an approved verb and comment-based help' -ForEach @(
        'Get-SlaWatchBreach', 'Invoke-SlaWatchScan', 'Register-SlaWatchTask', 'Send-SlaWatchSpool', 'Set-SlaWatchCredential', 'Test-SlaWatchConfig', 'Unregister-SlaWatchTask'
    ) {
        $command = Get-Command -Name $_ -Module SlaWatch
        $command.CmdletBinding | Should -BeTrue
        (Get-Verb).Verb | Should -Contain $command.Verb
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ('^\s*' + [regex]::Escape($_))
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        foreach ($parameter in $command.Parameters.Values) {
            if ([System.Management.Automation.PSCmdlet]::CommonParameters -contains $parameter.Name) { continue }
            if ([System.Management.Automation.PSCmdlet]::OptionalCommonParameters -contains $parameter.Name) { continue }
            $parameterHelp = @($help.parameters.parameter | Where-Object -FilterScript { $_.name -eq $parameter.Name })
            $parameterHelp.Count | Should -Be 1 -Because "-$($parameter.Name) of $_ needs a .PARAMETER entry"
            ([string]($parameterHelp[0].description | Out-String)).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $_ needs a description"
        }
    }

    It 'takes credentials only as PSCredential, never as user name and password strings' {
        foreach ($name in $PublicFunctions) {
            $command = Get-Command -Name $name -Module SlaWatch
            foreach ($parameter in $command.Parameters.Values) {
                if ($parameter.Name -match 'Credential') { $parameter.ParameterType | Should -Be ([System.Management.Automation.PSCredential]) }
                $parameter.Name | Should -Not -Match '^(Password|Pass|Secret|UserName|User)$'
            }
        }
    }

    It 'uses approved verbs for private functions too' {
        $approved = @((Get-Verb).Verb)
        $private = InModuleScope -ModuleName SlaWatch -ScriptBlock {
            @(Get-ChildItem -Path function: | Where-Object -FilterScript { $_.ModuleName -eq 'SlaWatch' } | ForEach-Object -Process { $_.Verb })
        }
        foreach ($verb in $private) { $approved | Should -Contain $verb }
    }
}

Describe 'Scheduled task' {
    It 'scans every <Minutes> minute(s) when the smallest SLA is <Sla> minutes' -ForEach @(
        @{ Sla = 1; Minutes = 1 }
        @{ Sla = 7; Minutes = 1 }
        @{ Sla = 20; Minutes = 5 }
        @{ Sla = 30; Minutes = 7 }
        @{ Sla = 60; Minutes = 15 }
        @{ Sla = 1440; Minutes = 15 }
    ) {
        InModuleScope -ModuleName SlaWatch -Parameters @{ Sla = $Sla } -ScriptBlock {
            param($Sla)
            Get-SlaWatchTaskInterval -SmallestSlaMinutes $Sla
        } | Should -Be $Minutes
    }

    It 'registers a task every 5 minutes for the example (smallest SLA 20), repeating indefinitely, IgnoreNew' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'Task Scheduler exists on Windows only'
            return
        }
        $entry = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'powershell/Invoke-SlaWatch.ps1'
        $example = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'config/slawatch.example.json'
        Mock -ModuleName SlaWatch -CommandName Register-ScheduledTask -MockWith { 'registered' }

        $null = Register-SlaWatchTask -ConfigPath $example -ScriptPath $entry -ServiceAccount 'NT AUTHORITY\SYSTEM' -Confirm:$false

        Should -Invoke -CommandName Register-ScheduledTask -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter {
            ($TaskName -eq 'SlaWatch') -and
            ($Trigger[0].Repetition.Interval -eq 'PT5M') -and
            [string]::IsNullOrEmpty($Trigger[0].Repetition.Duration) -and
            (@('IgnoreNew', '2') -contains [string]$Settings.MultipleInstances) -and
            ($Action[0].Arguments -match '-File ".*Invoke-SlaWatch\.ps1" -ConfigPath ".*slawatch\.example\.json"') -and
            ($Action[0].Arguments -match '-NonInteractive')
        }
    }

    It 'registers nothing with -WhatIf' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'Task Scheduler exists on Windows only'
            return
        }
        Mock -ModuleName SlaWatch -CommandName Register-ScheduledTask -MockWith { 'registered' }
        $entry = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'powershell/Invoke-SlaWatch.ps1'
        $example = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'config/slawatch.example.json'
        Register-SlaWatchTask -ConfigPath $example -ScriptPath $entry -ServiceAccount 'NT AUTHORITY\SYSTEM' -WhatIf
        Should -Invoke -CommandName Register-ScheduledTask -ModuleName SlaWatch -Times 0 -Exactly
    }

    It 'unregisters only the SlaWatch task, and says so when there is none' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'Task Scheduler exists on Windows only'
            return
        }
        Mock -ModuleName SlaWatch -CommandName Unregister-ScheduledTask -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Get-ScheduledTask -MockWith { [pscustomobject]@{ TaskName = $TaskName } }
        Unregister-SlaWatchTask -Confirm:$false
        Should -Invoke -CommandName Unregister-ScheduledTask -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { ($TaskName -eq 'SlaWatch') -and ($TaskPath -eq '\SlaWatch\') }
        Mock -ModuleName SlaWatch -CommandName Get-ScheduledTask -MockWith { $null }
        Unregister-SlaWatchTask -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'no scheduled task'
        Should -Invoke -CommandName Unregister-ScheduledTask -ModuleName SlaWatch -Times 1 -Exactly
    }

    It 'Unregister-SlaWatchTask says it needs Windows elsewhere' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'this is the off-Windows message'; return }
        { Unregister-SlaWatchTask -Confirm:$false } | Should -Throw -ExpectedMessage '*needs Windows Task Scheduler*'
    }
}

Describe 'Credential file (DPAPI)' {
    It 'stores a PSCredential that reads back for the same user and holds no clear-text password' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'DPAPI exists on Windows only (the 0600 file used elsewhere: Credentials.Tests.ps1)'
            return
        }
        $path = Join-Path -Path $TestDrive -ChildPath 'dpapi/scanner.credential.xml'
        $file = Set-SlaWatchCredential -Credential (New-TestCredential) -Path $path -Confirm:$false
        $file.FullName | Should -Be $path
        Get-Content -LiteralPath $path -Raw | Should -Not -Match 'correct horse battery staple'
        $loaded = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path } -ScriptBlock { param($Path) Import-SlaWatchCredential -Path $Path }
        $loaded.UserName | Should -Be 'scanner@example.test'
        $loaded.GetNetworkCredential().Password | Should -Be 'correct horse battery staple'
    }

    It 'says which account must create the credential when it is missing' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'DPAPI exists on Windows only (the 0600 file used elsewhere: Credentials.Tests.ps1)'
            return
        }
        $path = Join-Path -Path $TestDrive -ChildPath 'absent.xml'
        { InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path } -ScriptBlock { param($Path) Import-SlaWatchCredential -Path $Path } } |
            Should -Throw -ExpectedMessage '*run Set-SlaWatchCredential as the account the task runs as*'
    }
}

Describe 'Rotating log' {
    It 'rotates at log.maxBytes and keeps log.keep old files' {
        $directory = Join-Path -Path $TestDrive -ChildPath 'rotate'
        InModuleScope -ModuleName SlaWatch -Parameters @{ Directory = $directory } -ScriptBlock {
            param($Directory)
            Initialize-SlaWatchLog -Settings @{ LogDirectory = $Directory; LogMaxBytes = 4096; LogKeep = 2; EventLog = $false }
            for ($i = 0; $i -lt 200; $i++) { Write-SlaWatchLog -Message ('line {0:D4} {1}' -f $i, ('z' * 80)) }
            $script:SlaWatchLog = $null
        }
        $names = @(Get-ChildItem -LiteralPath $directory | ForEach-Object -Process { $_.Name } | Sort-Object)
        ($names -join ',') | Should -Be 'slawatch.1.log,slawatch.2.log,slawatch.log'
        (Get-Item -LiteralPath (Join-Path -Path $directory -ChildPath 'slawatch.1.log')).Length | Should -BeLessOrEqual 4300
        Get-Content -LiteralPath (Join-Path -Path $directory -ChildPath 'slawatch.log') -Tail 1 | Should -Match 'line 0199'
    }

    It 'writes one line per folder with files seen, breaches and duration' {
        $asOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
        $root = New-TestRoot -Prefix 'folderlog'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'a/old.txt') -AsOf $asOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'a/new.txt') -AsOf $asOf -CreationAgeSeconds 60 -LastWriteAgeSeconds 60
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'a'); slaMinutes = 20 })
        $null = Get-SlaWatchBreach -ConfigPath $config -AsOf $asOf
        $log = Get-Content -LiteralPath (Join-Path -Path $root -ChildPath 'state/logs/slawatch.log') -Raw
        $log | Should -Match 'INFO\s+folder ''[^'']+'': status=ok files=2 breaches=1 truncated=false skippedSubfolders=0 durationMs=\d+'
    }
}
