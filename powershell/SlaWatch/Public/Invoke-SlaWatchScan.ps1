function Invoke-SlaWatchScan {
    <#
        .SYNOPSIS
        Scans the configured folders and delivers the SLA report to the slawatch API; the scheduled task's entry point.

        .DESCRIPTION
        One run:
        1. Reads and validates the configuration (errors name the field, e.g. folders[2].slaMinutes).
        2. Scans every folder in configuration order and builds the report: folders with breaches, folders that
           are missing or unreadable, and truncated folders. An empty report is a heartbeat and is still sent.
        3. Splits the report into chunks no larger than api.maxRequestBytes.
        4. Send on change, heartbeat otherwise: a scan whose state (each folder's status and the set of breaching
           files, see Get-SlaWatchStateDigest) equals that of the last delivered report is kept back (not sent)
           until scanner.heartbeatMinutes (default 15; 0 sends every scan) have passed since that report. The run
           still returns the exit code a sent scan would, with Unchanged saying "unchanged since HH:MM UTC, not
           sent; heartbeat due at HH:MM UTC". When the state changes, the last kept-back scan is sent first.
        5. Writes the chunks to the spool folder, then sends the spool oldest first: reports left over from
           earlier runs go before this run's. Each request carries a Cognito access token, x-amz-checksum-sha256 and
           Content-Type application/json; charset=utf-8, and is retried with exponential backoff and jitter on
           network failures, 408, 429 and 5xx. A body the API rejects with another 4xx is moved to the
           dead-letter folder; a body that could not be delivered stays in the spool for the next run.

        Returns a SlaWatch.ScanResult object whose ExitCode is what the scheduled task should exit with:
          0   clean run: nothing breached and every folder ok (heartbeat delivered)
          10  report(s) with breaches or folder problems (missing, unreadable, truncated) delivered
          20  delivery failed: report(s) kept in the spool, or dead-lettered after a 4xx
          30  configuration or credential error (including Cognito NotAuthorized and challenges)
          1   unexpected error
        Higher-priority outcomes win: 30 over 20 over 10 over 0.

        With -DryRun the report chunks are written to the information stream (and returned in Reports); nothing
        is spooled, no credential is read, nothing is sent, and the heartbeat state is neither read nor written.

        .PARAMETER ConfigPath
        Path of the JSON configuration file (see config/scanner-config.schema.json). Default: $env:SLAWATCH_CONFIG,
        else %ProgramData%\SlaWatch\config.json (/etc/slawatch/config.json off Windows), as slawatch scan reads.

        .PARAMETER AsOf
        Compute file ages as of this instant instead of now. A DateTime of unspecified kind is taken as local time.

        .PARAMETER DryRun
        Scan and print the report(s); send and store nothing.

        .PARAMETER Credential
        The Cognito user to sign in as. By default the credential stored with Set-SlaWatchCredential
        (auth.credentialPath) is used, which is what the scheduled task does.

        .EXAMPLE
        Invoke-SlaWatchScan -ConfigPath C:\ProgramData\SlaWatch\slawatch.json

        Runs one scan and delivery; inspect ExitCode and the counters of the result.

        .EXAMPLE
        Invoke-SlaWatchScan -ConfigPath .\slawatch.json -DryRun -AsOf (Get-Date).AddHours(2)

        Shows what would be reported two hours from now, without sending anything.

        .OUTPUTS
        SlaWatch.ScanResult

        .LINK
        Get-SlaWatchBreach

        .LINK
        Send-SlaWatchSpool
    #>
    [CmdletBinding()]
    [OutputType('SlaWatch.ScanResult')]
    param(
        # Default: $env:SLAWATCH_CONFIG, else %ProgramData%\SlaWatch\config.json (as slawatch scan).
        [string]$ConfigPath,

        [datetime]$AsOf,

        [switch]$DryRun,

        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential = [System.Management.Automation.PSCredential]::Empty
    )

    $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
    $script:SlaWatchLog = $null
    $settings = $null
    $result = [ordered]@{
        ExitCode         = 1
        RunId            = $null
        AsOf             = $null
        DryRun           = [bool]$DryRun
        FoldersScanned   = 0
        FoldersReported  = 0
        BreachCount      = 0
        Chunks           = 0
        Delivered        = 0
        DeadLettered     = 0
        Spooled          = 0
        DroppedFromSpool = 0
        Reports          = @()
        Unchanged        = $null
        Message          = $null
    }

    try {
        $settings = Import-SlaWatchConfig -Path (Resolve-SlaWatchConfigPath -Path $ConfigPath)
        Initialize-SlaWatchLog -Settings $settings

        $asOfUtc = [DateTime]::UtcNow
        if ($PSBoundParameters.ContainsKey('AsOf')) { $asOfUtc = ConvertTo-SlaWatchUtc -Date $AsOf }

        $report = Get-SlaWatchReport -Settings $settings -AsOfUtc $asOfUtc
        $result.RunId = $report.scanner.runId
        $result.AsOf = $report.scanner.scannedAt
        $result.FoldersScanned = @($settings.Folders).Count
        $result.FoldersReported = $report.sla_error.Count
        foreach ($entry in $report.sla_error) { $result.BreachCount += $entry.files.Count }
        Write-SlaWatchLog -Level Info -Message ("run {0}: scanned {1} folder(s) as of {2}: {3} reported, {4} breaching file(s)" -f `
                $result.RunId, $result.FoldersScanned, $result.AsOf, $result.FoldersReported, $result.BreachCount)

        $chunks = @(Split-SlaWatchReport -Report $report -MaxBytes $settings.MaxRequestBytes)
        $result.Chunks = $chunks.Count
        # The scanner's own check against the report contract: a body that breaks it is never sent (it would only
        # earn a 400 that cannot name the field); each problem is logged with its JSON path.
        $broken = @($chunks | Where-Object -FilterScript {
                $found = Get-SlaWatchReportProblem -Json $_.Json
                foreach ($problem in $found) { Write-SlaWatchLog -Level Error -Message "report chunk $($_.Index) breaks the report schema and is not sent: $problem" }
                $found.Count -gt 0
            })
        $result.Reports = [string[]]@($chunks | ForEach-Object -Process { $_.Json })
        $contentCode = 0
        if ($report.sla_error.Count -gt 0) { $contentCode = 10 }

        if ($DryRun) {
            foreach ($chunk in $chunks) { Write-Information -MessageData $chunk.Json -InformationAction Continue }
            Write-SlaWatchLog -Level Info -Message "run $($result.RunId): dry run, $($chunks.Count) report chunk(s) printed, nothing sent"
            $result.ExitCode = $contentCode
            if ($broken.Count) { $result.ExitCode = 20 }
        }
        else {
            # Send on change, heartbeat otherwise. A run with a broken chunk leaves the state alone (sent as before).
            $digest = $null
            $state = $null
            $decision = $null
            if ($broken.Count -eq 0) {
                $digest = (Get-SlaWatchStateDigest -Report $report).Digest
                $state = Read-SlaWatchScanState -Settings $settings
                $waiting = @(Get-SlaWatchSpoolItem -Settings $settings).Count -gt 0
                $decision = Get-SlaWatchSendDecision -State $state -Digest $digest -NowUtc $asOfUtc -HeartbeatMinutes $settings.HeartbeatMinutes -SpoolWaiting:$waiting
                if (-not $decision.Send) {
                    try {
                        Save-SlaWatchKeptScan -Settings $settings -Chunk $chunks
                        $result.Unchanged = $decision.Message
                    }
                    catch {
                        Write-SlaWatchLog -Level Warning -Message "cannot keep the unchanged scan in '$($settings.SpoolDirectory)' ($($_.Exception.Message)); sending it"
                    }
                }
            }
            if ($result.Unchanged) {
                Write-SlaWatchLog -Level Info -Message "run $($result.RunId): $($result.Unchanged)"
                $result.ExitCode = $contentCode
            }
            else {
                if ($null -ne $decision) { Write-SlaWatchLog -Level Info -Message "run $($result.RunId): report sent ($($decision.Reason))" }
                # Spool first: whatever happens next, the report survives until it is delivered.
                $memory = New-Object -TypeName 'System.Collections.Generic.List[object]'
                # The last scan of the old state goes first: every file that left then has an exact last sighting.
                if (($null -ne $decision) -and $decision.SendKeptFirst) {
                    foreach ($file in @(Get-SlaWatchKeptScan -Settings $settings)) {
                        $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
                        $kept = (ConvertFrom-Json -InputObject $script:Utf8NoBom.GetString($bytes)).scanner
                        try {
                            $null = Save-SlaWatchSpoolItem -Settings $settings -Bytes $bytes -RunId ([string]$kept.runId) -ChunkIndex ([int]$kept.chunkIndex) `
                                -ChunkCount ([int]$kept.chunkCount) -At $file.LastWriteTimeUtc
                        }
                        catch {
                            $memory.Add([pscustomobject]@{ Name = ('{0}_{1}-of-{2}.json' -f $kept.runId, $kept.chunkIndex, $kept.chunkCount); Bytes = $bytes })
                        }
                    }
                }
                if ($null -ne $decision) {
                    foreach ($file in @(Get-SlaWatchKeptScan -Settings $settings)) { Remove-Item -LiteralPath $file.FullName -Force -ErrorAction SilentlyContinue }
                }
                foreach ($chunk in $broken) {
                    $name = '{0}_{1}-of-{2}.json' -f $result.RunId, $chunk.Index, $chunk.Count
                    $null = Move-SlaWatchDeadLetter -Settings $Settings -Name $name -Bytes $chunk.Bytes -StatusCode 0 -Content 'not sent: the scanner''s own check against the report schema failed (see the log)'
                    $result.DeadLettered++
                }
                foreach ($chunk in @($chunks | Where-Object -FilterScript { $broken -notcontains $_ })) {
                    try {
                        $null = Save-SlaWatchSpoolItem -Settings $settings -Bytes $chunk.Bytes -RunId $result.RunId -ChunkIndex $chunk.Index -ChunkCount $chunk.Count
                    }
                    catch {
                        Write-SlaWatchLog -Level Error -Message "cannot write to the spool folder '$($settings.SpoolDirectory)' (sending chunk $($chunk.Index) from memory): $($_.Exception.Message)"
                        $memory.Add([pscustomobject]@{ Name = ('{0}_{1}-of-{2}.json' -f $result.RunId, $chunk.Index, $chunk.Count); Bytes = $chunk.Bytes })
                    }
                }
                $result.DroppedFromSpool = Limit-SlaWatchSpool -Settings $settings

                $tokenCachePath = $null
                if (-not $PSBoundParameters.ContainsKey('Credential')) {
                    $Credential = Import-SlaWatchCredential -Path $settings.CredentialPath
                    $tokenCachePath = Get-SlaWatchTokenCachePath -CredentialPath $settings.CredentialPath -SpoolDirectory $settings.SpoolDirectory
                }

                $delivery = Invoke-SlaWatchDelivery -Settings $settings -Credential $Credential -TokenCachePath $tokenCachePath -MemoryItem $memory.ToArray()
                $result.Delivered = $delivery.Delivered
                $result.DeadLettered += $delivery.DeadLettered
                $result.Spooled = $delivery.Remaining
                $result.Message = $delivery.Message

                if ($delivery.CredentialError) { $result.ExitCode = 30 }
                elseif ($broken.Count -or $delivery.DeliveryFailed -or ($delivery.Remaining -gt 0) -or ($delivery.DeadLettered -gt 0) -or ($delivery.Lost -gt 0)) { $result.ExitCode = 20 }
                else {
                    $result.ExitCode = $contentCode
                    # Only a delivery that left nothing behind proves the backend has this state.
                    if ($digest) {
                        $since = $asOfUtc
                        if (($null -ne $state) -and ($state.Digest -eq $digest)) { $since = $state.Since }
                        Save-SlaWatchScanState -Settings $settings -Digest $digest -Since $since -SentAt $asOfUtc
                    }
                }
            }
        }
    }
    catch {
        $errorId = [string]$_.FullyQualifiedErrorId
        $result.Message = $_.Exception.Message
        if (($errorId -like 'SlaWatch.ConfigInvalid*') -or ($errorId -like 'SlaWatch.CredentialError*')) {
            $result.ExitCode = 30
        }
        else {
            $result.ExitCode = 1
            $result.Message = '{0} (at {1}:{2})' -f $_.Exception.Message, $_.InvocationInfo.ScriptName, $_.InvocationInfo.ScriptLineNumber
        }
        Write-SlaWatchLog -Level Error -Message $result.Message
        if ($null -ne $settings) {
            try { $result.Spooled = @(Get-SlaWatchSpoolItem -Settings $settings).Count } catch { Write-Verbose -Message 'spool not readable' }
        }
    }

    $stopwatch.Stop()
    $meaning = @{ 0 = 'clean'; 10 = 'breaches or folder problems delivered'; 20 = 'delivery failed, kept in spool or dead-lettered'; 30 = 'configuration or credential error'; 1 = 'unexpected error' }
    $level = 'Info'
    if (($result.ExitCode -eq 1) -or ($result.ExitCode -ge 20)) { $level = 'Error' }
    Write-SlaWatchLog -Level $level -Message ("run {0} finished with exit code {1} ({2}): chunks={3} delivered={4} deadLettered={5} spooled={6} droppedFromSpool={7} durationMs={8}" -f `
            $result.RunId, $result.ExitCode, $meaning[[int]$result.ExitCode], $result.Chunks, $result.Delivered, $result.DeadLettered,
        $result.Spooled, $result.DroppedFromSpool, $stopwatch.ElapsedMilliseconds)

    $output = New-Object -TypeName PSObject
    foreach ($key in $result.Keys) { Add-Member -InputObject $output -NotePropertyName $key -NotePropertyValue $result[$key] }
    $output.PSObject.TypeNames.Insert(0, 'SlaWatch.ScanResult')
    $output
}
