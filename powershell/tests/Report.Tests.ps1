<#
    The report on the wire: JSON shape (key order, depth, one-element arrays, dates), UTF-8 bytes, x-amz-checksum-sha256,
    heartbeat, chunking and dry run.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $AsOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)
    # Built from code points so this file stays ASCII: "Ueberweisung-sz.csv" with U+00DC and U+00DF, and three CJK characters.
    $UmlautName = ([string][char]0x00DC) + 'berweisung-' + ([string][char]0x00DF) + '.csv'
    $CjkName = (-join [char[]]@(0x8ACB, 0x6C42, 0x66F8)) + '.pdf'
    $DatePattern = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$'
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Report JSON shape' {
    BeforeAll {
        $root = New-TestRoot -Prefix 'shape'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'single/old.csv') -AsOf $AsOf -CreationAgeSeconds 7200 -LastWriteAgeSeconds 7200
        New-TestFile -Path (Join-Path -Path $root -ChildPath "unicode/$UmlautName") -AsOf $AsOf -CreationAgeSeconds 3600 -LastWriteAgeSeconds 3600
        New-TestFile -Path (Join-Path -Path $root -ChildPath "unicode/$CjkName") -AsOf $AsOf -CreationAgeSeconds 3500 -LastWriteAgeSeconds 3500
        $null = New-Item -ItemType Directory -Path (Join-Path -Path $root -ChildPath 'quiet') -Force
        $ConfigPath = New-TestConfig -Root $root -Folders @(
            @{ path = (Join-Path -Path $root -ChildPath 'single'); slaMinutes = 60 }
            @{ path = (Join-Path -Path $root -ChildPath 'unicode'); slaMinutes = 20 }
            @{ path = (Join-Path -Path $root -ChildPath 'quiet'); slaMinutes = 20 }
        )
        $QuietConfigPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'quiet'); slaMinutes = 20 }) `
            -ConfigPath (Join-Path -Path $root -ChildPath 'state/quiet.json')
        Mock -ModuleName SlaWatch -CommandName Get-SlaWatchScannerIdentity -MockWith {
            @{ HostName = 'shape-host'; Version = '9.9.9'; RunId = 'shape-run' }
        }
        $Json = Get-SlaWatchBreach -ConfigPath $ConfigPath -AsOf $AsOf -AsJson
        $Parsed = ConvertFrom-Json -InputObject $Json
    }

    BeforeEach {
        $script:ApiRequests = New-Object -TypeName 'System.Collections.Generic.List[object]'
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Start-Sleep -MockWith { }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith { New-CognitoResponse }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            $script:ApiRequests.Add([pscustomobject]@{ Uri = $Uri; Headers = $Headers; Body = $Body; ContentType = $ContentType })
            New-ApiResponse
        }
    }

    It 'starts with sla_error, then every folder outcome, and ends with the scanner block, keys in contract order' {
        $Json | Should -Match '^\{"sla_error":\[\{"folder":'
        $Json | Should -Match '\],"folders":\[\{"folder":"[^"]+","sla":60,"status":"ok","ageBasis":"lastWrite","filesSeen":1,"pastSla":1,"oldestFile":"old\.csv","oldestAgeSeconds":7200,"unreadableSubfolders":0,"truncated":false\}'
        $Json | Should -Match '"scanner":\{"host":"shape-host","version":"9\.9\.9","scannedAt":"2026-11-28T12:00:00\.000Z","runId":"shape-run","chunkIndex":1,"chunkCount":1,"intervalMinutes":5,"heartbeatMinutes":15\}\}$'
        $Json | Should -Match '\{"folder":"[^"]+","sla":60,"status":"ok","ageBasis":"lastWrite","fileCount":1,"truncated":false,"files":\['
    }

    It 'keeps a one-element files array an array, with every level serialised' {
        $Json | Should -Match '"files":\[\{"filename":"old\.csv","creationDate":"2026-11-28T10:00:00\.000Z","lastWriteDate":"2026-11-28T10:00:00\.000Z","sizeBytes":0\}\]'
        $Json | Should -Not -Match 'System\.Collections'
        $Parsed.sla_error[0].files[0].filename | Should -Be 'old.csv'
    }

    It 'writes dates as ISO 8601 UTC with milliseconds, never as \/Date()\/' {
        $Json | Should -Not -Match 'Date\('
        foreach ($match in [regex]::Matches($Json, '"(creationDate|lastWriteDate|scannedAt)":"([^"]*)"')) {
            $match.Groups[2].Value | Should -Match $DatePattern
        }
    }

    It 'leaves folders with nothing to report out of sla_error, but lists every outcome in folders' {
        @($Parsed.sla_error).Count | Should -Be 2
        @($Parsed.sla_error | Where-Object -FilterScript { $_.folder -match 'quiet' }).Count | Should -Be 0
        @($Parsed.folders).Count | Should -Be 3
        $quiet = @($Parsed.folders | Where-Object -FilterScript { $_.folder -match 'quiet' })[0]
        $quiet.status | Should -Be 'ok'
        $quiet.pastSla | Should -Be 0
        $quiet.filesSeen | Should -Be 0
    }

    It 'keeps non-ASCII file names intact, oldest first' {
        $names = @($Parsed.sla_error[1].files | ForEach-Object -Process { $_.filename })
        $names[0] | Should -BeExactly $UmlautName
        $names[1] | Should -BeExactly $CjkName
    }

    It 'posts the report as UTF-8 bytes with x-amz-checksum-sha256, the JSON content type and the access token' {
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -Credential (New-TestCredential)
        $result.ExitCode | Should -Be 10
        $script:ApiRequests.Count | Should -Be 1
        $request = $script:ApiRequests[0]
        $request.Uri | Should -Be 'https://api.test/prod/reports'
        ($request.Body -is [byte[]]) | Should -BeTrue
        $request.Body[0] | Should -Be 0x7B -Because 'the body starts with { and has no byte order mark'
        $request.ContentType | Should -Be 'application/json; charset=utf-8'
        $request.Headers['x-amz-checksum-sha256'] | Should -BeExactly (Get-TestSha256 -Bytes $request.Body)
        $request.Headers.Contains('Content-MD5') | Should -BeFalse -Because 'MD5 is refused under FIPS and dropped by edge APIs'
        $request.Headers['Authorization'] | Should -BeExactly 'Bearer access-token-1'
        $text = Get-TestText -Bytes $request.Body
        $text | Should -BeExactly $Json
        (ConvertFrom-Json -InputObject $text).sla_error[1].files[0].filename | Should -BeExactly $UmlautName
        $expectedBytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($Json)
        [Convert]::ToBase64String($request.Body) | Should -BeExactly ([Convert]::ToBase64String($expectedBytes))
    }

    It 'computes x-amz-checksum-sha256 as base64 of the SHA-256 of the exact bytes (known vectors)' {
        InModuleScope -ModuleName SlaWatch -ScriptBlock {
            Get-SlaWatchChecksumSha256 -Bytes ([byte[]]@()) | Should -BeExactly '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
            Get-SlaWatchChecksumSha256 -Bytes ([byte[]]@(0x61, 0x62, 0x63)) | Should -BeExactly 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='
        }
    }

    It 'sends an empty sla_error as a heartbeat and exits 0' {
        $result = Invoke-SlaWatchScan -ConfigPath $QuietConfigPath -AsOf $AsOf -Credential (New-TestCredential)
        $result.ExitCode | Should -Be 0
        $script:ApiRequests.Count | Should -Be 1
        Get-TestText -Bytes $script:ApiRequests[0].Body | Should -Match '^\{"sla_error":\[\],"folders":\[\{"folder":"[^"]+quiet","sla":20,"status":"ok"'
        Get-TestText -Bytes $script:ApiRequests[0].Body | Should -Match '"pastSla":0,"unreadableSubfolders":0,"truncated":false\}\],"scanner":\{'
    }

    It 'prints the report and sends and stores nothing with -DryRun' {
        $result = Invoke-SlaWatchScan -ConfigPath $ConfigPath -AsOf $AsOf -DryRun -InformationAction SilentlyContinue
        $result.ExitCode | Should -Be 10
        $result.DryRun | Should -BeTrue
        @($result.Reports).Count | Should -Be 1
        $result.Reports[0] | Should -BeExactly $Json
        Should -Invoke -CommandName Invoke-WebRequest -ModuleName SlaWatch -Times 0 -Exactly
        @(Get-ChildItem -Path (Join-Path -Path $root -ChildPath 'state/spool') -File -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}

Describe 'Chunking (Split-SlaWatchReport)' {
    It 'splits a large report into complete reports under the limit, in order, with one runId' {
        InModuleScope -ModuleName SlaWatch -ScriptBlock {
            $files = @(
                for ($i = 0; $i -lt 120; $i++) {
                    [ordered]@{
                        filename      = ('file-{0:D4}-{1}.csv' -f $i, ('x' * 40))
                        creationDate  = '2026-11-28T10:00:00.000Z'
                        lastWriteDate = '2026-11-28T10:00:00.000Z'
                        sizeBytes     = [long]$i
                    }
                }
            )
            $header = { param($Folder, $Status, [object[]]$Files) [ordered]@{ folder = $Folder; sla = 20; status = $Status; ageBasis = 'creation'; fileCount = $Files.Count; truncated = $false; files = $Files } }
            $report = [ordered]@{
                sla_error = @(
                    (& $header 'D:\in\a' 'ok' $files)
                    (& $header 'D:\in\missing' 'missing' @())
                    (& $header 'D:\in\b' 'ok' @($files[0..49]))
                )
                scanner   = [ordered]@{ host = 'h'; version = '1.0.0'; scannedAt = '2026-11-28T12:00:00.000Z'; runId = 'run-1'; chunkIndex = 1; chunkCount = 1 }
            }

            $chunks = @(Split-SlaWatchReport -Report $report -MaxBytes 4096)
            $chunks.Count | Should -BeGreaterThan 2
            $seen = [ordered]@{}
            for ($c = 0; $c -lt $chunks.Count; $c++) {
                $chunks[$c].Bytes.Length | Should -BeLessOrEqual 4096
                $chunks[$c].Index | Should -Be ($c + 1)
                $parsed = ConvertFrom-Json -InputObject $chunks[$c].Json
                $parsed.scanner.runId | Should -Be 'run-1'
                $parsed.scanner.chunkIndex | Should -Be ($c + 1)
                $parsed.scanner.chunkCount | Should -Be $chunks.Count
                @($parsed.sla_error).Count | Should -BeGreaterThan 0
                foreach ($entry in $parsed.sla_error) {
                    $entry.sla | Should -Be 20
                    if (-not $seen.Contains($entry.folder)) { $seen[$entry.folder] = New-Object -TypeName 'System.Collections.Generic.List[string]' }
                    foreach ($file in @($entry.files)) { $seen[$entry.folder].Add($file.filename) }
                }
            }
            @($seen.Keys) -join '|' | Should -Be 'D:\in\a|D:\in\missing|D:\in\b'
            ($seen['D:\in\a'] -join '|') | Should -Be (@($files | ForEach-Object -Process { $_.filename }) -join '|')
            $seen['D:\in\missing'].Count | Should -Be 0
            $seen['D:\in\b'].Count | Should -Be 50
        }
    }

    It 'keeps a report that fits in one chunk, and a heartbeat in one chunk' {
        InModuleScope -ModuleName SlaWatch -ScriptBlock {
            $scanner = [ordered]@{ host = 'h'; version = '1'; scannedAt = '2026-11-28T12:00:00.000Z'; runId = 'r'; chunkIndex = 1; chunkCount = 1 }
            $heartbeat = @(Split-SlaWatchReport -Report ([ordered]@{ sla_error = @(); scanner = $scanner }) -MaxBytes 4096)
            $heartbeat.Count | Should -Be 1
            $heartbeat[0].Json | Should -Match '^\{"sla_error":\[\],"scanner":\{.*"chunkIndex":1,"chunkCount":1\}\}$'
        }
    }

    It 'posts each chunk as its own request with its own x-amz-checksum-sha256' {
        $root = New-TestRoot -Prefix 'chunks'
        for ($i = 0; $i -lt 60; $i++) {
            New-TestFile -Path (Join-Path -Path $root -ChildPath ('big/{0:D3}-{1}.dat' -f $i, ('y' * 60))) -AsOf $AsOf -CreationAgeSeconds (7200 + $i) -LastWriteAgeSeconds (7200 + $i)
        }
        $configPath = New-TestConfig -Root $root -Folders @(@{ path = (Join-Path -Path $root -ChildPath 'big'); slaMinutes = 20 }) -Api @{ maxRequestBytes = 4096 }
        $script:ApiRequests = New-Object -TypeName 'System.Collections.Generic.List[object]'
        InModuleScope -ModuleName SlaWatch -ScriptBlock { Clear-SlaWatchTokenCache }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { $Headers.Contains('X-Amz-Target') } -MockWith { New-CognitoResponse }
        Mock -ModuleName SlaWatch -CommandName Invoke-WebRequest -ParameterFilter { -not $Headers.Contains('X-Amz-Target') } -MockWith {
            $script:ApiRequests.Add([pscustomobject]@{ Headers = $Headers; Body = $Body })
            New-ApiResponse
        }

        $result = Invoke-SlaWatchScan -ConfigPath $configPath -AsOf $AsOf -Credential (New-TestCredential)

        $result.ExitCode | Should -Be 10
        $result.Chunks | Should -BeGreaterThan 1
        $script:ApiRequests.Count | Should -Be $result.Chunks
        $names = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $runIds = @{}
        foreach ($request in $script:ApiRequests) {
            $request.Body.Length | Should -BeLessOrEqual 4096
            $request.Headers['x-amz-checksum-sha256'] | Should -BeExactly (Get-TestSha256 -Bytes $request.Body)
            $parsed = ConvertFrom-Json -InputObject (Get-TestText -Bytes $request.Body)
            $runIds[[string]$parsed.scanner.runId] = $true
            foreach ($file in @($parsed.sla_error[0].files)) { $names.Add($file.filename) }
        }
        $runIds.Count | Should -Be 1
        $names.Count | Should -Be 60
        # Oldest first across the chunks: file 059 was created first.
        $names[0] | Should -Match '^059-'
        $names[59] | Should -Match '^000-'
        # Delivered chunks leave the spool.
        @(Get-ChildItem -Path (Join-Path -Path $root -ChildPath 'state/spool') -Filter '*.json' -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}
