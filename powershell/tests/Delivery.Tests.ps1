<#
    Delivery: the one retry loop (backoff, jitter, cap, Retry-After), spool and flush (oldest first), bounded spool,
    dead-letter, and the exit codes of Invoke-SlaWatchScan, Send-SlaWatchSpool and the entry script.
    Invoke-WebRequest and Start-Sleep are mocked inside the module: no network, no waiting.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $AsOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
    $RetrySettings = @{ MaxAttempts = 4; BaseDelaySeconds = 1.0; MaxDelaySeconds = 3.0; TimeoutSeconds = 5 }

    function Invoke-TestRequest {
        param([hashtable]$Settings)
        InModuleScope -ModuleName SlaWatch -Parameters @{ Settings = $Settings } -ScriptBlock {
            param($Settings)
            Invoke-SlaWatchRequest -Uri 'https://api.test/prod/reports?secret=query' -Headers @{ 'X-Test' = 'header-value' } `
                -Body ([byte[]]@(123, 125)) -ContentType 'application/json' -Target 'api' -Settings $Settings
        }
    }

    function New-SpoolFile {
        param([string]$Directory, [string]$Name, [string]$Text)
        if (-not (Test-Path -LiteralPath $Directory)) { $null = New-Item -ItemType Directory -Path $Directory -Force }
        [System.IO.File]::WriteAllText((Join-Path -Path $Directory -ChildPath $Name), $Text, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
    }
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Retry loop (Invoke-SlaWatchRequest, used for Cognito and the API)' {
    BeforeEach {
        $script:Attempt = 0
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
    }

    It 'retries <Label> and then succeeds' -ForEach @(
        @{ Label = 'a network failure'; Status = 0 }
        @{ Label = 'HTTP 408'; Status = 408 }
        @{ Label = 'HTTP 429'; Status = 429 }
        @{ Label = 'HTTP 500'; Status = 500 }
        @{ Label = 'HTTP 502'; Status = 502 }
        @{ Label = 'HTTP 503'; Status = 503 }
        @{ Label = 'HTTP 504'; Status = 504 }
    ) {
        $script:Failure = $Status
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith {
            $script:Attempt++
            if ($script:Attempt -lt 3) { throw (New-HttpError -Status $script:Failure) }
            New-HttpResponse -Status 200 -Content '{"ok":true}'
        }
        $response = Invoke-TestRequest -Settings $RetrySettings
        $response.StatusCode | Should -Be 200
        $response.Attempts | Should -Be 3
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 3 -Exactly
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 2 -Exactly
    }

    It 'does not retry HTTP <Status>' -ForEach @(@{ Status = 400 }, @{ Status = 401 }, @{ Status = 403 }, @{ Status = 404 }, @{ Status = 413 }, @{ Status = 422 }) {
        $script:Failure = $Status
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith { throw (New-HttpError -Status $script:Failure -Body '{"message":"no"}') }
        $response = Invoke-TestRequest -Settings $RetrySettings
        $response.StatusCode | Should -Be $Status
        $response.Retryable | Should -BeFalse
        $response.Content | Should -Be '{"message":"no"}'
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 1 -Exactly
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 0 -Exactly
    }

    It 'gives up after delivery.maxAttempts and reports the failure as retryable' {
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith { throw (New-HttpError -Status 503) }
        $response = Invoke-TestRequest -Settings $RetrySettings
        $response.StatusCode | Should -Be 503
        $response.Retryable | Should -BeTrue
        $response.Attempts | Should -Be 4
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 4 -Exactly
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 3 -Exactly
    }

    It 'backs off exponentially up to the cap (ceilings 1, 2, 3 s with base 1 s and cap 3 s)' {
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith { throw (New-HttpError -Status 500) }
        # Jitter drawn at its ceiling, to see the ceilings.
        Mock -ModuleName SlaWatch -CommandName Get-Random -MockWith { [double]$Maximum }
        $null = Invoke-TestRequest -Settings $RetrySettings
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { $Milliseconds -eq 1000 }
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { $Milliseconds -eq 2000 }
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { $Milliseconds -eq 3000 }
    }

    It 'draws a full-jitter delay between 0 and the ceiling' {
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith { throw (New-HttpError -Status 500) }
        Mock -ModuleName SlaWatch -CommandName Get-Random -MockWith { [double]$Minimum }
        $null = Invoke-TestRequest -Settings $RetrySettings
        Should -Invoke -CommandName Get-Random -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { ([double]$Minimum -eq 0) -and ([double]$Maximum -eq 2) }
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 3 -Exactly -ParameterFilter { $Milliseconds -eq 0 }
    }

    It 'honours Retry-After given in seconds' {
        Mock -ModuleName SlaWatch -CommandName Get-Random -MockWith { 0.0 }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith {
            $script:Attempt++
            if ($script:Attempt -eq 1) { throw (New-HttpError -Status 429 -Headers @{ 'Retry-After' = '2' }) }
            New-HttpResponse -Status 200
        }
        (Invoke-TestRequest -Settings $RetrySettings).StatusCode | Should -Be 200
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { $Milliseconds -eq 2000 }
        Should -Invoke -CommandName Get-Random -ModuleName SlaWatch -Times 0 -Exactly
    }

    It 'honours Retry-After given as an HTTP date' {
        $script:RetryAt = [DateTime]::UtcNow.AddSeconds(3).ToString('r', [System.Globalization.CultureInfo]::InvariantCulture)
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith {
            $script:Attempt++
            if ($script:Attempt -eq 1) { throw (New-HttpError -Status 503 -Headers @{ 'Retry-After' = $script:RetryAt }) }
            New-HttpResponse -Status 200
        }
        (Invoke-TestRequest -Settings $RetrySettings).StatusCode | Should -Be 200
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { ($Milliseconds -ge 1000) -and ($Milliseconds -le 3000) }
    }

    It 'stops retrying when Retry-After is longer than delivery.maxDelaySeconds' {
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith { throw (New-HttpError -Status 503 -Headers @{ 'Retry-After' = '600' }) }
        $response = Invoke-TestRequest -Settings $RetrySettings
        $response.Retryable | Should -BeTrue
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 1 -Exactly
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 0 -Exactly
    }

    It 'retries Cognito throttling (400 TooManyRequestsException) but no other 400' {
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith {
            $script:Attempt++
            if ($script:Attempt -eq 1) { throw (New-HttpError -Status 400 -Body '{"__type":"TooManyRequestsException","message":"Rate exceeded"}') }
            New-HttpResponse -Status 200
        }
        (Invoke-TestRequest -Settings $RetrySettings).StatusCode | Should -Be 200
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 2 -Exactly
    }

    It 'logs one line per attempt, without query string, headers or body' {
        $logDirectory = Join-Path -Path $TestDrive -ChildPath 'retry-logs'
        InModuleScope -ModuleName SlaWatch -Parameters @{ Directory = $logDirectory } -ScriptBlock {
            param($Directory)
            Initialize-SlaWatchLog -Settings @{ LogDirectory = $Directory; LogMaxBytes = 1048576; LogKeep = 2; EventLog = $false }
        }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -MockWith {
            $script:Attempt++
            if ($script:Attempt -eq 1) { throw (New-HttpError -Status 503) }
            New-HttpResponse -Status 200
        }
        $null = Invoke-TestRequest -Settings $RetrySettings
        $lines = @(Get-Content -LiteralPath (Join-Path -Path $logDirectory -ChildPath 'slawatch.log'))
        $attemptLines = @($lines | Where-Object -FilterScript { $_ -match 'api POST https://api\.test/prod/reports attempt' })
        $attemptLines.Count | Should -Be 2
        $attemptLines[0] | Should -Match 'attempt 1/4: HTTP 503 in \d+ ms; retrying in'
        $attemptLines[1] | Should -Match 'attempt 2/4: HTTP 200 in \d+ ms$'
        ($lines -join "`n") | Should -Not -Match 'secret=query|header-value'
        InModuleScope -ModuleName SlaWatch -ScriptBlock { $script:SlaWatchLog = $null }
    }
}

Describe 'Spool, flush and dead-letter' {
    BeforeEach {
        $script:ApiBodies = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $script:ApiMode = 'ok'
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith { New-CognitoResponse }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            $text = Get-TestText -Bytes $Body
            $script:ApiBodies.Add($text)
            if ($script:ApiMode -eq 'down') { throw (New-HttpError -Status 503) }
            if ($script:ApiMode -eq 'network') { throw (New-HttpError -Status 0) }
            if ($script:ApiMode -eq 'notfound') { throw (New-HttpError -Status 404 -Body '{"message":"no such resource or method"}') }
            if (($script:ApiMode -eq 'reject') -or ($text -match 'bogus')) { throw (New-HttpError -Status 400 -Body '{"message":"Invalid request body"}') }
            New-ApiResponse
        }

        $root = New-TestRoot -Prefix 'spool'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'inbound/late.csv') -AsOf $AsOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'inbound'); slaMinutes = 20 })
        $SpoolPath = Join-Path -Path $root -ChildPath 'state/spool'
        $DeadLetterPath = Join-Path -Path $root -ChildPath 'state/dead-letter'
        $LogPath = Join-Path -Path $root -ChildPath 'state/logs/slawatch.log'
        $Credential = New-TestCredential
    }

    It 'keeps the report in the spool and exits 20 when the API stays down' {
        $script:ApiMode = 'down'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 20
        $result.Spooled | Should -Be 1
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 3 -Exactly -ParameterFilter { -not $Headers.Contains('X-Amz-Target') }
        $spooled = @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json')
        $spooled.Count | Should -Be 1
        [System.IO.File]::ReadAllText($spooled[0].FullName, [System.Text.Encoding]::UTF8) | Should -BeExactly $script:ApiBodies[0]
    }

    It 'sends the spool first, oldest first, on the next run' {
        $script:ApiMode = 'down'
        $first = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        Start-Sleep -Milliseconds 20
        $second = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json').Count | Should -Be 2

        $script:ApiMode = 'ok'
        $script:ApiBodies.Clear()
        $third = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $third.ExitCode | Should -Be 10
        $third.Delivered | Should -Be 3
        $script:ApiBodies.Count | Should -Be 3
        $script:ApiBodies[0] | Should -Match ([regex]::Escape($first.RunId))
        $script:ApiBodies[1] | Should -Match ([regex]::Escape($second.RunId))
        $script:ApiBodies[2] | Should -Match ([regex]::Escape($third.RunId))
        @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json').Count | Should -Be 0
    }

    It 'moves a rejected report to the dead-letter folder with the response body, logs it and exits 20' {
        $script:ApiMode = 'reject'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 20
        $result.DeadLettered | Should -Be 1
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { -not $Headers.Contains('X-Amz-Target') }
        @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json').Count | Should -Be 0
        $dead = @(Get-ChildItem -LiteralPath $DeadLetterPath -Filter '*.json')
        $dead.Count | Should -Be 1
        $response = Get-Content -LiteralPath ($dead[0].FullName + '.response.txt') -Raw
        $response | Should -Match 'HTTP 400'
        $response | Should -Match 'Invalid request body'
        Get-Content -LiteralPath $LogPath -Raw | Should -Match 'HTTP 400.*Invalid request body'
    }

    It 'keeps the report in the spool and exits 30 when api.url is wrong (404)' {
        $script:ApiMode = 'notfound'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.DeadLettered | Should -Be 0
        @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json').Count | Should -Be 1
        Test-Path -LiteralPath $DeadLetterPath -PathType Container | Should -BeFalse
    }

    It 'goes on with the next report after a rejected one' {
        New-SpoolFile -Directory $SpoolPath -Name '20000101T000000000Z_old-run_00001-of-00001.json' -Text '{"bogus":true}'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.DeadLettered | Should -Be 1
        $result.Delivered | Should -Be 1
        $result.ExitCode | Should -Be 20
        Test-Path -LiteralPath (Join-Path -Path $DeadLetterPath -ChildPath '20000101T000000000Z_old-run_00001-of-00001.json') | Should -BeTrue
    }

    It 'stops the flush at the first delivery failure and keeps everything for the next run' {
        New-SpoolFile -Directory $SpoolPath -Name '20000101T000000000Z_run-a_00001-of-00001.json' -Text '{"sla_error":[],"scanner":{"runId":"run-a"}}'
        New-SpoolFile -Directory $SpoolPath -Name '20000101T000001000Z_run-b_00001-of-00001.json' -Text '{"sla_error":[],"scanner":{"runId":"run-b"}}'
        $script:ApiMode = 'network'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 20
        $result.Spooled | Should -Be 3
        # Only the oldest body was tried (3 attempts); the rest waits.
        $script:ApiBodies.Count | Should -Be 3
        @($script:ApiBodies | Select-Object -Unique).Count | Should -Be 1
        $script:ApiBodies[0] | Should -Match 'run-a'
    }

    It 'drops the oldest reports beyond spool.maxFiles, loudly' {
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'inbound'); slaMinutes = 20 }) -Spool @{ maxFiles = 2 }
        foreach ($index in 1..3) {
            New-SpoolFile -Directory $SpoolPath -Name ('2000010{0}T000000000Z_old-{0}_00001-of-00001.json' -f $index) -Text '{"sla_error":[]}'
        }
        $script:ApiMode = 'down'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.DroppedFromSpool | Should -Be 2
        $result.ExitCode | Should -Be 20
        $left = @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json' | Sort-Object -Property Name)
        $left.Count | Should -Be 2
        $left[0].Name | Should -Be '20000103T000000000Z_old-3_00001-of-00001.json'
        $left[1].Name | Should -Match ([regex]::Escape($result.RunId))
        Get-Content -LiteralPath $LogPath -Raw | Should -Match 'ERROR\s+spool full: dropped the oldest undelivered report ''20000101T000000000Z_old-1'
    }

    It 'drops the oldest reports beyond spool.maxBytes' {
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'inbound'); slaMinutes = 20 }) -Spool @{ maxBytes = 4096 }
        New-SpoolFile -Directory $SpoolPath -Name '20000101T000000000Z_big-1_00001-of-00001.json' -Text ('{"pad":"' + ('a' * 3000) + '"}')
        New-SpoolFile -Directory $SpoolPath -Name '20000102T000000000Z_big-2_00001-of-00001.json' -Text ('{"pad":"' + ('b' * 3000) + '"}')
        $script:ApiMode = 'down'
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.DroppedFromSpool | Should -Be 1
        $left = @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json')
        ($left | Measure-Object -Property Length -Sum).Sum | Should -BeLessOrEqual 4096
        Test-Path -LiteralPath (Join-Path -Path $SpoolPath -ChildPath '20000101T000000000Z_big-1_00001-of-00001.json') | Should -BeFalse
    }

    It 'Send-SlaWatchSpool flushes the spool without scanning' {
        New-SpoolFile -Directory $SpoolPath -Name '20000101T000000000Z_run-a_00001-of-00001.json' -Text '{"sla_error":[],"scanner":{"runId":"run-a"}}'
        $result = Send-SlaWatchSpool -ConfigPath $ConfigPath -Credential $Credential
        $result.Delivered | Should -Be 1
        $result.Remaining | Should -Be 0
        $result.ExitCode | Should -Be 0
        $script:ApiBodies.Count | Should -Be 1
        $script:ApiBodies[0] | Should -BeExactly '{"sla_error":[],"scanner":{"runId":"run-a"}}'
    }
}

Describe 'Exit codes' {
    BeforeEach {
        $script:ApiMode = 'ok'
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith { New-CognitoResponse }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            if ($script:ApiMode -eq 'down') { throw (New-HttpError -Status 503) }
            New-ApiResponse
        }
        $root = New-TestRoot -Prefix 'exit'
        $null = New-Item -ItemType Directory -Path (Join-Path -Path $root -ChildPath 'quiet') -Force
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'late/late.csv') -AsOf $AsOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        $Credential = New-TestCredential
    }

    It '0 when nothing breached and every folder is ok (the heartbeat is delivered)' {
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'quiet'); slaMinutes = 20 })
        (Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential).ExitCode | Should -Be 0
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter { -not $Headers.Contains('X-Amz-Target') }
    }

    It '10 when breaches were delivered' {
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = 20 })
        $result = Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential
        $result.ExitCode | Should -Be 10
        $result.BreachCount | Should -Be 1
    }

    It '10 when a folder is missing (reported with status missing)' {
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'gone'); slaMinutes = 20 })
        $result = Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 10
        $result.FoldersReported | Should -Be 1
    }

    It '20 when delivery failed' {
        $script:ApiMode = 'down'
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = 20 })
        (Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue).ExitCode | Should -Be 20
    }

    It '30 for an invalid configuration, before anything is scanned or sent' {
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = 0 })
        $result = Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.Message | Should -Match 'folders\[0\]\.slaMinutes must be an integer between 1 and 10080'
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 0 -Exactly
    }

    It '30 when the credential file is missing, and the report waits in the spool' {
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = 20 })
        $result = Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.Message | Should -Match 'Set-SlaWatchCredential'
        $result.Spooled | Should -Be 1
    }

    It '1 for an unexpected error' {
        Mock -ModuleName SlaWatch -CommandName Get-SlaWatchReport -MockWith { throw 'disk on fire' }
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = 20 })
        $result = Invoke-SlaWatchScan -ConfigPath $config -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 1
        $result.Message | Should -Match 'disk on fire'
    }

    It 'the entry script exits with the scan''s exit code (<Expected> for <Case>)' -ForEach @(
        @{ Case = 'an invalid configuration'; Expected = 30 }
        @{ Case = 'a dry run with a breach'; Expected = 10 }
    ) {
        $entry = Join-Path -Path (Get-TestRepoRoot) -ChildPath 'powershell/Invoke-SlaWatch.ps1'
        $slaMinutes = 20
        if ($Expected -eq 30) { $slaMinutes = 0 }
        $config = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'late'); slaMinutes = $slaMinutes })
        $executable = Get-TestPowerShellPath
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $entry, '-ConfigPath', $config)
        if ($Expected -eq 10) { $arguments += '-DryRun' }
        $output = & $executable @arguments 2>&1
        $LASTEXITCODE | Should -Be $Expected -Because ($output | Out-String)
    }
}
