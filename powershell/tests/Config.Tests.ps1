<#
    Configuration validation (config/scanner-config.schema.json rules, by hand) and normalisation (defaults,
    relative paths). Every error names the field, 0-based: folders[2] is the third folder.
#>

BeforeDiscovery {
    # Each case changes one thing in the committed example and names the message it must produce.
    $InvalidCases = @(
        @{ Case = 'slaMinutes of 0'; Change = { param($c) $c.folders[2].slaMinutes = 0 }; Expected = 'folders[2].slaMinutes must be an integer between 1 and 10080' }
        @{ Case = 'slaMinutes over a week'; Change = { param($c) $c.folders[0].slaMinutes = 10081 }; Expected = 'folders[0].slaMinutes must be an integer between 1 and 10080' }
        @{ Case = 'fractional slaMinutes'; Change = { param($c) $c.folders[1].slaMinutes = 20.5 }; Expected = 'folders[1].slaMinutes must be an integer between 1 and 10080' }
        @{ Case = 'slaMinutes as a string'; Change = { param($c) $c.folders[0].slaMinutes = '20' }; Expected = 'folders[0].slaMinutes must be an integer between 1 and 10080' }
        @{ Case = 'a folder without path'; Change = { param($c) $c.folders[1].PSObject.Properties.Remove('path') }; Expected = 'folders[1].path is required' }
        @{ Case = 'a folder without slaMinutes'; Change = { param($c) $c.folders[0].PSObject.Properties.Remove('slaMinutes') }; Expected = 'folders[0].slaMinutes is required' }
        @{ Case = 'a misspelt folder setting'; Change = { param($c) $c.folders[0] | Add-Member -NotePropertyName 'slaMinute' -NotePropertyValue 20 }; Expected = 'folders[0].slaMinute is not a recognised setting' }
        @{ Case = 'an unknown top-level setting'; Change = { param($c) $c | Add-Member -NotePropertyName 'apiUrl' -NotePropertyValue 'https://x' }; Expected = 'apiUrl is not a recognised setting' }
        @{ Case = 'an unknown api setting'; Change = { param($c) $c.api | Add-Member -NotePropertyName 'retries' -NotePropertyValue 3 }; Expected = 'api.retries is not a recognised setting' }
        @{ Case = 'no api.url'; Change = { param($c) $c.api.PSObject.Properties.Remove('url') }; Expected = 'api.url is required' }
        @{ Case = 'a plain-http api.url'; Change = { param($c) $c.api.url = 'http://example.com/reports' }; Expected = 'api.url must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1])' }
        @{ Case = 'a tiny maxRequestBytes'; Change = { param($c) $c.api.maxRequestBytes = 100 }; Expected = 'api.maxRequestBytes must be an integer between 4096 and 10000000' }
        @{ Case = 'a bad region'; Change = { param($c) $c.auth.region = 'Ireland' }; Expected = 'auth.region must be an AWS region such as eu-west-1' }
        @{ Case = 'no auth'; Change = { param($c) $c.PSObject.Properties.Remove('auth') }; Expected = 'auth is required' }
        @{ Case = 'an unknown ageBasis'; Change = { param($c) $c.folders[1] | Add-Member -NotePropertyName 'ageBasis' -NotePropertyValue 'modified' }; Expected = 'folders[1].ageBasis must be one of creation, lastWrite, newest' }
        @{ Case = 'a wrongly cased ageBasis'; Change = { param($c) $c.defaults.ageBasis = 'LastWrite' }; Expected = 'defaults.ageBasis must be one of creation, lastWrite, newest' }
        @{ Case = 'include as a string'; Change = { param($c) $c.folders[2].include = '*.csv' }; Expected = 'folders[2].include must be an array of non-empty strings' }
        @{ Case = 'an empty exclude pattern'; Change = { param($c) $c.defaults.exclude = @('') }; Expected = 'defaults.exclude must be an array of non-empty strings' }
        @{ Case = 'includeHidden as a string'; Change = { param($c) $c.defaults.includeHidden = 'yes' }; Expected = 'defaults.includeHidden must be true or false' }
        @{ Case = 'maxAttempts of 0'; Change = { param($c) $c.delivery.maxAttempts = 0 }; Expected = 'delivery.maxAttempts must be an integer between 1 and 20' }
        @{ Case = 'a negative delay'; Change = { param($c) $c.delivery.baseDelaySeconds = -1 }; Expected = 'delivery.baseDelaySeconds must be a number between 0 and 60' }
        @{ Case = 'a zero spool.maxFiles'; Change = { param($c) $c.spool.maxFiles = 0 }; Expected = 'spool.maxFiles must be an integer of at least 1' }
        @{ Case = 'eventLog as a number'; Change = { param($c) $c.log.eventLog = 1 }; Expected = 'log.eventLog must be true or false' }
        @{ Case = 'an empty folders list'; Change = { param($c) $c.folders = @() }; Expected = 'folders must be a non-empty array' }
        @{ Case = 'a heartbeat over an hour'; Change = { param($c) $c.scanner.heartbeatMinutes = 90 }; Expected = 'scanner.heartbeatMinutes must be an integer between 0 and 60 (0 sends every scan; otherwise at least the scan interval)' }
        @{ Case = 'a misspelt scanner setting'; Change = { param($c) $c.scanner | Add-Member -NotePropertyName 'heartbeat' -NotePropertyValue 5 }; Expected = 'scanner.heartbeat is not a recognised setting' }
        @{ Case = 'a time budget under a second'; Change = { param($c) $c.folders[0] | Add-Member -NotePropertyName 'timeBudgetSeconds' -NotePropertyValue 0.5 }; Expected = 'folders[0].timeBudgetSeconds must be a number of at least 1' }
    )
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $ExamplePath = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'config/slawatch.example.json'
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Configuration validation' {
    It 'accepts the committed example configuration' {
        Test-SlaWatchConfig -Path $ExamplePath | Should -BeTrue
    }

    It 'rejects <Case> with "<Expected>"' -ForEach $InvalidCases {
        $config = Read-TestJson -Path $ExamplePath
        & $Change $config
        $path = Write-TestJson -Path (Join-Path -Path $TestDrive -ChildPath ('config-{0}.json' -f [guid]::NewGuid().ToString('N'))) -Value $config

        $problems = @(InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path } -ScriptBlock {
                param($Path)
                Get-SlaWatchConfigError -Config (ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path)))
            })
        # Messages may carry a hint after the expected text ("... is not a recognised setting (check the spelling ...)").
        $matching = @($problems | Where-Object -FilterScript { $_.StartsWith($Expected, [System.StringComparison]::Ordinal) })
        $matching.Count | Should -BeGreaterThan 0 -Because "the problems were: $($problems -join '; ')"

        Test-SlaWatchConfig -Path $path -WarningAction SilentlyContinue | Should -BeFalse
        { Get-SlaWatchBreach -ConfigPath $path } | Should -Throw -ExpectedMessage "*$([System.Management.Automation.WildcardPattern]::Escape($Expected))*"
    }

    It 'lists every problem at once' {
        $config = Read-TestJson -Path $ExamplePath
        $config.folders[0].slaMinutes = 0
        $config.folders[1].slaMinutes = 0
        $config.auth.region = 'nowhere'
        $path = Write-TestJson -Path (Join-Path -Path $TestDrive -ChildPath 'many.json') -Value $config
        $problems = @(InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path } -ScriptBlock {
                param($Path)
                Get-SlaWatchConfigError -Config (ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path)))
            })
        $problems.Count | Should -Be 3
    }

    It 'reports a file that is not JSON' {
        $path = Join-Path -Path $TestDrive -ChildPath 'broken.json'
        Set-Content -LiteralPath $path -Value '{ "api": ' -Encoding Ascii
        Test-SlaWatchConfig -Path $path -WarningAction SilentlyContinue | Should -BeFalse
        { Get-SlaWatchBreach -ConfigPath $path } | Should -Throw -ExpectedMessage '*is not valid JSON*'
    }

    It 'reports a missing file' {
        { Get-SlaWatchBreach -ConfigPath (Join-Path -Path $TestDrive -ChildPath 'nope.json') } | Should -Throw -ExpectedMessage '*was not found*'
    }
}

Describe 'Configuration normalisation' {
    BeforeAll {
        $settings = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $ExamplePath } -ScriptBlock {
            param($Path)
            Import-SlaWatchConfig -Path $Path
        }
    }

    It 'derives the Cognito endpoint from the region when endpoint is null' {
        $settings.AuthEndpoint | Should -Be 'https://cognito-idp.eu-west-1.amazonaws.com/'
    }

    It 'merges each folder over the defaults block' {
        $settings.Folders.Count | Should -Be 3
        $settings.Folders[0].AgeBasis | Should -Be 'creation'
        $settings.Folders[0].Recurse | Should -BeFalse
        $settings.Folders[1].Recurse | Should -BeTrue
        ($settings.Folders[1].Exclude -join ',') | Should -Be '*.tmp,*.part'
        $settings.Folders[2].AgeBasis | Should -Be 'newest'
        ($settings.Folders[2].Include -join ',') | Should -Be '*.csv,*.xml'
        $settings.Folders[2].MaxFiles | Should -Be 100000
        $settings.Folders[0].Path | Should -Be 'D:\Inbound\Payments'
    }

    It 'applies the schema defaults for settings that are left out' {
        $root = Join-Path -Path $TestDrive -ChildPath 'minimal'
        $null = New-Item -ItemType Directory -Path $root -Force
        $path = Write-TestJson -Path (Join-Path -Path $root -ChildPath 'minimal.json') -Value ([ordered]@{
                api     = @{ url = 'https://api.test/reports' }
                auth    = @{ region = 'us-east-1'; clientId = 'c' }
                folders = @(@{ path = 'relative/inbound'; slaMinutes = 30 })
            })
        $minimal = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $path } -ScriptBlock {
            param($Path)
            Import-SlaWatchConfig -Path $Path
        }
        $minimal.TimeoutSeconds | Should -Be 30
        $minimal.MaxRequestBytes | Should -Be 5242880
        $minimal.MaxAttempts | Should -Be 5
        $minimal.SpoolMaxFiles | Should -Be 500
        $minimal.HeartbeatMinutes | Should -Be 15
        $minimal.Folders[0].AgeBasis | Should -Be 'creation'
        ($minimal.Folders[0].Include -join ',') | Should -Be '*'
        $minimal.Folders[0].Exclude.Count | Should -Be 0
        $minimal.Folders[0].TimeBudgetSeconds | Should -Be 120
        # Relative paths are taken from the configuration file's folder (a scheduled task starts in System32).
        $minimal.Folders[0].Path | Should -Be 'relative/inbound'
        $minimal.Folders[0].FullPath | Should -Be ([System.IO.Path]::GetFullPath((Join-Path -Path $root -ChildPath 'relative/inbound')))
    }
}
