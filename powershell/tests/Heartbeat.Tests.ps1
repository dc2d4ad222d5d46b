<#
    Send on change, heartbeat otherwise: the state digest (tests/vectors/state-digest-vectors.json, which the Python
    scanner computes too), the decision, and whole runs through Invoke-SlaWatchScan with the clock moved by -AsOf
    (the scan's scannedAt is the decision's clock).
#>

BeforeDiscovery {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    $DigestCases = @(
        foreach ($vector in (Read-TestJson -Path (Join-Path -Path (Get-TestRepoRoot) -ChildPath 'tests/vectors/state-digest-vectors.json')).vectors) {
            @{ Name = [string]$vector.name; Vector = $vector }
        }
    )
    # Minutes after the last delivered report (12:00), heartbeatMinutes, spool waiting, expected send and reason.
    $DecisionCases = @(
        @{ Saved = 'same'; Minutes = 5; Heartbeat = 15; Waiting = $false; Send = $false; Reason = 'unchanged' }
        @{ Saved = 'same'; Minutes = 14.45; Heartbeat = 15; Waiting = $false; Send = $false; Reason = 'unchanged' }
        @{ Saved = 'same'; Minutes = 14.5; Heartbeat = 15; Waiting = $false; Send = $true; Reason = 'heartbeat' }
        @{ Saved = 'same'; Minutes = 40; Heartbeat = 15; Waiting = $false; Send = $true; Reason = 'heartbeat' }
        @{ Saved = 'same'; Minutes = -1; Heartbeat = 15; Waiting = $false; Send = $true; Reason = 'heartbeat' }
        @{ Saved = 'same'; Minutes = 5; Heartbeat = 0; Waiting = $false; Send = $true; Reason = 'every scan' }
        @{ Saved = 'same'; Minutes = 5; Heartbeat = 15; Waiting = $true; Send = $true; Reason = 'spool waiting' }
        @{ Saved = 'other'; Minutes = 1; Heartbeat = 15; Waiting = $false; Send = $true; Reason = 'changed' }
        @{ Saved = 'none'; Minutes = 1; Heartbeat = 15; Waiting = $false; Send = $true; Reason = 'first' }
    )
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $T0 = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'State digest' {
    It 'vector <Name>' -ForEach $DigestCases {
        $state = InModuleScope -ModuleName SlaWatch -Parameters @{ Report = $Vector.report } -ScriptBlock {
            param($Report)
            Get-SlaWatchStateDigest -Report $Report
        }
        $state.Canonical | Should -BeExactly $Vector.canonical
        $state.Digest | Should -BeExactly $Vector.digest
    }

    It 'is the same for the report the module builds and for that report parsed back from JSON' {
        $root = New-TestRoot -Prefix 'digest'
        New-TestFile -Path (Join-Path -Path $root -ChildPath "in/caf$([char]0xE9).csv") -AsOf $T0 -LastWriteAgeSeconds 7200
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'in'); slaMinutes = 20 })
        $digests = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $config; AsOf = $T0 } -ScriptBlock {
            param($Path, $AsOf)
            $report = Get-SlaWatchReport -Settings (Import-SlaWatchConfig -Path $Path) -AsOfUtc $AsOf
            (Get-SlaWatchStateDigest -Report $report).Digest
            (Get-SlaWatchStateDigest -Report (ConvertFrom-Json -InputObject (ConvertTo-SlaWatchJson -Report $report))).Digest
        }
        $digests[0] | Should -Match '^[0-9a-f]{64}$'
        $digests[1] | Should -BeExactly $digests[0]
    }
}

Describe 'Send decision' {
    It 'after <Minutes> min, heartbeat <Heartbeat>, state <Saved>, spool waiting <Waiting>: <Reason>' -ForEach $DecisionCases {
        $decision = InModuleScope -ModuleName SlaWatch -Parameters @{ Case = $_; T0 = $T0 } -ScriptBlock {
            param($Case, $T0)
            $state = $null
            if ($Case.Saved -ne 'none') {
                $digest = 'd'
                if ($Case.Saved -eq 'other') { $digest = 'other' }
                $state = [pscustomobject]@{ Digest = $digest; Since = $T0.AddMinutes(-30); SentAt = $T0 }
            }
            Get-SlaWatchSendDecision -State $state -Digest 'd' -NowUtc $T0.AddMinutes($Case.Minutes) -HeartbeatMinutes $Case.Heartbeat -SpoolWaiting:$Case.Waiting
        }
        $decision.Send | Should -Be $Send
        $decision.Reason | Should -Be $Reason
        $decision.SendKeptFirst | Should -Be ($Reason -eq 'changed' -or $Reason -eq 'first')
        if (-not $Send) { $decision.Message | Should -BeExactly 'unchanged since 11:30 UTC, not sent; heartbeat due at 12:15 UTC' }
    }
}

Describe 'Scans against the API' {
    BeforeEach {
        $script:Accepted = New-Object -TypeName 'System.Collections.Generic.List[object]'
        $script:ApiDown = 0
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith { New-CognitoResponse }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            if ($script:ApiDown -gt 0) {
                $script:ApiDown--
                throw (New-HttpError -Status 503 -Body '{"message":"down"}')
            }
            $script:Accepted.Add((ConvertFrom-Json -InputObject (Get-TestText -Bytes $Body)))
            New-ApiResponse
        }
        $root = New-TestRoot -Prefix 'heartbeat'
        $Inbound = Join-Path -Path $root -ChildPath 'inbound'
        foreach ($name in @('late.csv', 'later.csv')) {
            New-TestFile -Path (Join-Path -Path $Inbound -ChildPath $name) -AsOf $T0 -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        }
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = $Inbound; slaMinutes = 20 })
        $StateDirectory = Join-Path -Path $root -ChildPath 'state/spool/heartbeat'
        $Credential = New-TestCredential

        function Invoke-TestScan {
            param([double]$Minutes, [string]$Path = $ConfigPath)
            Invoke-SlaWatchScan -ConfigPath $Path -AsOf $T0.AddMinutes($Minutes) -Credential $Credential -WarningAction SilentlyContinue
        }
        function Get-ScannedAt {
            @($script:Accepted | ForEach-Object -Process { Format-TestDate -Value $_.scanner.scannedAt })
        }
        function Format-TestDate {
            param([object]$Value)
            (ConvertTo-TestUtc -Value $Value).ToString('HH:mm', [System.Globalization.CultureInfo]::InvariantCulture)
        }
    }

    It 'keeps an unchanged scan back and still exits 10' {
        (Invoke-TestScan -Minutes 0).ExitCode | Should -Be 10
        $second = Invoke-TestScan -Minutes 5
        $second.ExitCode | Should -Be 10
        $second.Delivered | Should -Be 0
        $second.Unchanged | Should -BeExactly 'unchanged since 12:00 UTC, not sent; heartbeat due at 12:15 UTC'
        $script:Accepted.Count | Should -Be 1
        $script:Accepted[0].scanner.heartbeatMinutes | Should -Be 15
        Test-Path -LiteralPath (Join-Path -Path $StateDirectory -ChildPath 'state.json') | Should -BeTrue
        @(Get-ChildItem -LiteralPath $StateDirectory -Filter 'unchanged-*.json').Count | Should -Be 1
    }

    It 'sends the last unchanged scan before the report of a change' {
        $null = Invoke-TestScan -Minutes 0
        $null = Invoke-TestScan -Minutes 5
        $null = Invoke-TestScan -Minutes 10
        Remove-Item -LiteralPath (Join-Path -Path $Inbound -ChildPath 'late.csv')
        (Invoke-TestScan -Minutes 15).ExitCode | Should -Be 10
        (Get-ScannedAt) -join ',' | Should -Be '12:00,12:10,12:15'
        @($script:Accepted[1].sla_error[0].files).Count | Should -Be 2
        @($script:Accepted[2].sla_error[0].files | ForEach-Object -Process { $_.filename }) -join ',' | Should -Be 'later.csv'
        @(Get-ChildItem -LiteralPath $StateDirectory -Filter 'unchanged-*.json').Count | Should -Be 0
    }

    It 'sends a heartbeat once heartbeatMinutes have passed, and only the current scan' {
        $null = Invoke-TestScan -Minutes 0
        $null = Invoke-TestScan -Minutes 5
        (Invoke-TestScan -Minutes 15).Delivered | Should -Be 1
        (Get-ScannedAt) -join ',' | Should -Be '12:00,12:15'
        (Invoke-TestScan -Minutes 20).Unchanged | Should -Match 'heartbeat due at 12:30 UTC$'
    }

    It 'sends every scan with heartbeatMinutes 0' {
        $path = New-TestConfig -Root $root -Folders @(@{ path = $Inbound; slaMinutes = 20 }) -Scanner @{ heartbeatMinutes = 0 } -ConfigPath (Join-Path -Path $root -ChildPath 'every.json')
        foreach ($minutes in @(0, 5, 10)) { $null = Invoke-TestScan -Minutes $minutes -Path $path }
        $script:Accepted.Count | Should -Be 3
    }

    It 'sends the next scan again after a failed delivery' {
        $script:ApiDown = 10
        (Invoke-TestScan -Minutes 0).ExitCode | Should -Be 20
        $script:ApiDown = 0
        (Invoke-TestScan -Minutes 5).ExitCode | Should -Be 10
        (Get-ScannedAt) -join ',' | Should -Be '12:00,12:05'
        $null = Invoke-TestScan -Minutes 10
        $script:Accepted.Count | Should -Be 2
    }

    It 'neither reads nor writes the state with -DryRun' {
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $T0 -DryRun -InformationAction SilentlyContinue
        $result.ExitCode | Should -Be 10
        Test-Path -LiteralPath $StateDirectory | Should -BeFalse
    }
}
