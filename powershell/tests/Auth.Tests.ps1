<#
    Cognito authentication: InitiateAuth over raw HTTPS, access token (not ID token) as Bearer, token cache in memory
    and (Windows) on disk with DPAPI, refresh, one re-authentication on 401, NotAuthorized never retried, challenges
    as configuration errors, and no secret or token in the log.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $AsOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
    $IsWindowsHost = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
    $DefaultCognito = {
        param($Text)
        if ($Text -match 'REFRESH_TOKEN_AUTH') { New-CognitoResponse -AccessToken 'access-token-2' -RefreshToken '' }
        else { New-CognitoResponse }
    }
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Cognito authentication' {
    BeforeEach {
        $script:CognitoBodies = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $script:ApiAuthorization = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $script:ApiStatuses = New-Object -TypeName 'System.Collections.Queue'
        $script:Cognito = $DefaultCognito
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith {
            $text = Get-TestText -Bytes $Body
            $script:CognitoBodies.Add($text)
            & $script:Cognito $text
        }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            $script:ApiAuthorization.Add([string]$Headers['Authorization'])
            $status = 200
            if ($script:ApiStatuses.Count -gt 0) { $status = [int]$script:ApiStatuses.Dequeue() }
            if ($status -ne 200) { throw (New-HttpError -Status $status -Body '{"message":"Unauthorized"}') }
            New-ApiResponse
        }

        $root = New-TestRoot -Prefix 'auth'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'inbound/late.csv') -AsOf $AsOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        # Every run must reach the API here: heartbeatMinutes 0 sends unchanged scans too (Heartbeat.Tests.ps1).
        $ConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'inbound'); slaMinutes = 20 }) -Scanner @{ heartbeatMinutes = 0 }
        $SpoolPath = Join-Path -Path $root -ChildPath 'state/spool'
        $LogPath = Join-Path -Path $root -ChildPath 'state/logs/slawatch.log'
        $Credential = New-TestCredential
    }

    It 'signs in with USER_PASSWORD_AUTH over plain HTTPS and sends the access token, not the ID token' {
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $result.ExitCode | Should -Be 10
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 1 -Exactly -ParameterFilter {
            ($Uri -eq 'https://cognito.test/') -and ($Method -eq 'Post') -and
            ($Headers['X-Amz-Target'] -eq 'AWSCognitoIdentityProviderService.InitiateAuth') -and ($ContentType -eq 'application/x-amz-json-1.1')
        }
        $request = ConvertFrom-Json -InputObject $script:CognitoBodies[0]
        $request.AuthFlow | Should -Be 'USER_PASSWORD_AUTH'
        $request.ClientId | Should -Be 'test-client'
        $request.AuthParameters.USERNAME | Should -Be 'scanner@example.test'
        $request.AuthParameters.PASSWORD | Should -Be 'correct horse battery staple'
        $script:ApiAuthorization[0] | Should -BeExactly 'Bearer access-token-1'
    }

    It 'reuses the cached access token on the next run' {
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $script:CognitoBodies.Count | Should -Be 1
        $script:ApiAuthorization.Count | Should -Be 2
        $script:ApiAuthorization[1] | Should -BeExactly 'Bearer access-token-1'
    }

    It 'renews with REFRESH_TOKEN_AUTH when the token expires within 5 minutes' {
        $script:Cognito = {
            param($Text)
            if ($Text -match 'REFRESH_TOKEN_AUTH') { New-CognitoResponse -AccessToken 'access-token-2' -RefreshToken '' }
            else { New-CognitoResponse -ExpiresIn 240 }
        }
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $second = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $second.ExitCode | Should -Be 10
        $script:CognitoBodies.Count | Should -Be 2
        $refresh = ConvertFrom-Json -InputObject $script:CognitoBodies[1]
        $refresh.AuthFlow | Should -Be 'REFRESH_TOKEN_AUTH'
        $refresh.AuthParameters.REFRESH_TOKEN | Should -Be 'refresh-token-1'
        $script:ApiAuthorization[1] | Should -BeExactly 'Bearer access-token-2'
    }

    It 'signs in with the credential again when the refresh token is refused' {
        $script:Cognito = {
            param($Text)
            if ($Text -match 'REFRESH_TOKEN_AUTH') { throw (New-HttpError -Status 400 -Body '{"__type":"NotAuthorizedException","message":"Refresh Token has expired"}') }
            New-CognitoResponse -ExpiresIn 240
        }
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential
        $second = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $second.ExitCode | Should -Be 10
        @($script:CognitoBodies | ForEach-Object -Process { (ConvertFrom-Json -InputObject $_).AuthFlow }) -join ',' |
            Should -Be 'USER_PASSWORD_AUTH,REFRESH_TOKEN_AUTH,USER_PASSWORD_AUTH'
    }

    It 'signs in again once when the API answers 401, then delivers' {
        $script:ApiStatuses.Enqueue(401)
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 10
        $result.Delivered | Should -Be 1
        $script:ApiAuthorization.Count | Should -Be 2
        $script:CognitoBodies.Count | Should -Be 2
        (ConvertFrom-Json -InputObject $script:CognitoBodies[1]).AuthFlow | Should -Be 'USER_PASSWORD_AUTH'
    }

    It 'stops with exit code 30 when the API still answers 401 after the new sign-in, keeping the report' {
        $script:ApiStatuses.Enqueue(401)
        $script:ApiStatuses.Enqueue(401)
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.Spooled | Should -Be 1
        $script:ApiAuthorization.Count | Should -Be 2
        @(Get-ChildItem -LiteralPath $SpoolPath -Filter '*.json').Count | Should -Be 1
    }

    It 'never retries NotAuthorizedException (lockout) and exits 30 with the report spooled' {
        $script:Cognito = { param($Text) throw (New-HttpError -Status 400 -Body '{"__type":"NotAuthorizedException","message":"Incorrect username or password."}') }
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.Message | Should -Match 'NotAuthorizedException'
        $result.Spooled | Should -Be 1
        $script:CognitoBodies.Count | Should -Be 1
        $script:ApiAuthorization.Count | Should -Be 0
        Should -Invoke -CommandName Start-Sleep -ModuleName SlaWatch -Times 0 -Exactly
    }

    It 'treats a challenge (<Challenge>) as a configuration error with a clear message' -ForEach @(
        @{ Challenge = 'NEW_PASSWORD_REQUIRED' }
        @{ Challenge = 'SOFTWARE_TOKEN_MFA' }
    ) {
        $script:ChallengeName = $Challenge
        $script:Cognito = { param($Text) New-HttpResponse -Status 200 -Content ('{{"ChallengeName":"{0}","Session":"opaque","ChallengeParameters":{{}}}}' -f $script:ChallengeName) }
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 30
        $result.Message | Should -Match $Challenge
        $result.Message | Should -Match 'cannot'
    }

    It 'retries an unreachable Cognito like any network failure and exits 20' {
        $script:Cognito = { param($Text) throw (New-HttpError -Status 0) }
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $result.ExitCode | Should -Be 20
        $script:CognitoBodies.Count | Should -Be 3
        $result.Spooled | Should -Be 1
    }

    It 'keeps passwords and tokens out of the log' {
        $script:Cognito = {
            param($Text)
            if ($Text -match 'REFRESH_TOKEN_AUTH') { New-CognitoResponse -AccessToken 'access-token-2' -RefreshToken '' }
            else { New-CognitoResponse -ExpiresIn 240 }
        }
        $script:ApiStatuses.Enqueue(401)
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential $Credential -WarningAction SilentlyContinue
        $log = Get-Content -LiteralPath $LogPath -Raw
        $log | Should -Match 'signed in to Cognito'
        $log | Should -Not -Match 'correct horse battery staple'
        $log | Should -Not -Match 'access-token-1|access-token-2|refresh-token-1|id-token-never-sent'
    }

    It 'redacts anything that looks like a bearer token or a JWT' {
        $directory = Join-Path -Path $TestDrive -ChildPath 'redact-logs'
        InModuleScope -ModuleName SlaWatch -Parameters @{ Directory = $directory } -ScriptBlock {
            param($Directory)
            Initialize-SlaWatchLog -Settings @{ LogDirectory = $Directory; LogMaxBytes = 1048576; LogKeep = 2; EventLog = $false }
            Write-SlaWatchLog -Message 'header was Authorization: Bearer abc.def.ghi'
            Write-SlaWatchLog -Message 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl seen'
            Write-SlaWatchLog -Message '{"PASSWORD":"hunter2","USERNAME":"u"}'
            $script:SlaWatchLog = $null
        }
        $log = Get-Content -LiteralPath (Join-Path -Path $directory -ChildPath 'slawatch.log') -Raw
        $log | Should -Not -Match 'abc\.def\.ghi|eyJhbGciOiJSUzI1NiJ9|hunter2'
        $log | Should -Match 'Bearer <redacted>'
        $log | Should -Match '<redacted-jwt>'
    }

    It 'caches the tokens on disk next to the credential, protected with DPAPI (Windows)' -Tag 'Windows' {
        if (-not $IsWindowsHost) {
            Set-ItResult -Skipped -Because 'DPAPI (Export-Clixml encryption) exists on Windows only'
            return
        }
        $credentialPath = Join-Path -Path $root -ChildPath 'state/scanner.credential.xml'
        $null = Set-SlaWatchCredential -Credential $Credential -Path $credentialPath -Confirm:$false
        (Get-Content -LiteralPath $credentialPath -Raw) | Should -Not -Match 'correct horse battery staple'

        $null = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf
        $tokenPath = Join-Path -Path $root -ChildPath 'state/scanner.credential.tokens.xml'
        Test-Path -LiteralPath $tokenPath | Should -BeTrue
        (Get-Content -LiteralPath $tokenPath -Raw) | Should -Not -Match 'access-token-1|refresh-token-1'

        # A new process would start with an empty memory cache: the disk cache saves the sign-in.
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        $second = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf
        $second.ExitCode | Should -Be 10
        $script:CognitoBodies.Count | Should -Be 1
        $script:ApiAuthorization[1] | Should -BeExactly 'Bearer access-token-1'
    }
}
