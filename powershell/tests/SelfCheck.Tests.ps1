<#
    The scanner's own checks before it sends: the report against the contract (field named with its JSON path),
    and where the configuration is found when -ConfigPath is not given.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-SlaWatchReportProblem' {
    It 'accepts a valid report, breaches and heartbeat alike' {
        InModuleScope SlaWatch {
            $valid = '{"sla_error":[{"folder":"D:\\In","sla":20,"status":"ok","files":[{"filename":"a.csv","creationDate":"2026-11-28T09:00:00.000Z"}]}]}'
            @(Get-SlaWatchReportProblem -Json $valid).Count | Should -Be 0
            @(Get-SlaWatchReportProblem -Json '{"sla_error":[]}').Count | Should -Be 0
        }
    }

    It 'names every broken field with its JSON path' {
        InModuleScope SlaWatch {
            $broken = '{"sla_error":[{"folder":"","sla":"20","status":"gone","files":[{"filename":"","creationDate":"x"}]}]}'
            $problems = @(Get-SlaWatchReportProblem -Json $broken)
            $problems | Should -Contain '$.sla_error[0].folder: must be a string of 1 to 32767 characters'
            $problems | Should -Contain '$.sla_error[0].sla: must be a whole number of minutes between 1 and 10080 (7 days)'
            $problems | Should -Contain '$.sla_error[0].status: must be one of ok, missing, unreadable, partial'
            $problems | Should -Contain '$.sla_error[0].files[0].filename: must not be empty'
            @(Get-SlaWatchReportProblem -Json '{"scanner":{}}') | Should -Contain '$.sla_error: is required'
        }
    }

    It 'on PowerShell 7 also asks Test-Json with the one report schema (found from the checkout)' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        InModuleScope SlaWatch {
            # sizeBytes -1 passes the structural check; only the schema's minimum catches it.
            $json = '{"sla_error":[{"folder":"f","sla":20,"files":[{"filename":"a","creationDate":"2026-11-28T09:00:00.000Z","sizeBytes":-1}]}]}'
            @(Get-SlaWatchReportProblem -Json $json) | Should -Contain '$: does not match report.schema.json (Test-Json names no field)'
        }
    }
}

Describe 'Resolve-SlaWatchConfigPath' {
    BeforeEach { $saved = $env:SLAWATCH_CONFIG }
    AfterEach { $env:SLAWATCH_CONFIG = $saved }

    It 'takes -ConfigPath, else SLAWATCH_CONFIG, else the default location' {
        InModuleScope SlaWatch {
            $env:SLAWATCH_CONFIG = 'from-env.json'
            Resolve-SlaWatchConfigPath -Path 'given.json' | Should -Be 'given.json'
            Resolve-SlaWatchConfigPath -Path '' | Should -Be 'from-env.json'
            $env:SLAWATCH_CONFIG = $null
            $expected = '/etc/slawatch/config.json'
            if ($script:IsWindowsPlatform) { $expected = [System.IO.Path]::Combine($env:ProgramData, 'SlaWatch', 'config.json') }
            Resolve-SlaWatchConfigPath -Path '' | Should -Be $expected
        }
    }
}

Describe 'Invoke-SlaWatchScan with a chunk that breaks the contract' {
    BeforeAll {
        $AsOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
        $root = New-TestRoot -Prefix 'selfcheck'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'in/old.csv') -AsOf $AsOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'in'); slaMinutes = 60 })
        $Root = $root
    }

    BeforeEach {
        Mock -ModuleName SlaWatch -CommandName Get-SlaWatchReportProblem -MockWith { '$.sla_error[0].sla: broken on purpose' }
        Mock -ModuleName SlaWatch -CommandName Invoke-SlaWatchDelivery -MockWith {
            [pscustomobject]@{ Delivered = 0; DeadLettered = 0; Remaining = 0; Lost = 0; DeliveryFailed = $false; CredentialError = $false; Message = $null }
        }
    }

    It 'never spools or sends it, keeps it in the dead-letter folder and exits 20' {
        $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'scanner', (ConvertTo-SecureString -String 'pw' -AsPlainText -Force)
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $credential
        $result.ExitCode | Should -Be 20
        $result.DeadLettered | Should -Be 1
        @(Get-ChildItem -Path (Join-Path -Path $Root -ChildPath 'state/dead-letter') -Filter '*.json').Count | Should -Be 1
        @(Get-ChildItem -Path (Join-Path -Path $Root -ChildPath 'state/spool') -Filter '*.json' -ErrorAction SilentlyContinue).Count | Should -Be 0
        Get-Content -Raw -Path (Join-Path -Path $Root -ChildPath 'state/logs/slawatch.log') | Should -Match ([regex]::Escape('$.sla_error[0].sla: broken on purpose'))
    }

    It 'says so in a dry run too (exit 20)' {
        (Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -DryRun -InformationAction SilentlyContinue).ExitCode | Should -Be 20
    }
}
