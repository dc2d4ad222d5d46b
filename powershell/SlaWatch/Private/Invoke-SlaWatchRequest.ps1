function Invoke-SlaWatchRequest {
    <#
        .SYNOPSIS
        The module's one retry loop, used for Cognito and for the API alike.

        .DESCRIPTION
        Retries network failures, 408, 429 and 5xx (see Test-SlaWatchRetryable) up to MaxAttempts, sleeping
        Get-SlaWatchRetryDelay seconds in between: exponential backoff with full jitter, capped, Retry-After
        honoured. A Retry-After longer than MaxDelaySeconds ends the loop: the caller spools and the next run
        tries again. Behaves the same on 5.1 and 7 (PowerShell 7's -MaximumRetryCount is not used: it retries
        400/401 too, never network failures, and waits a fixed interval).

        One log line per attempt: target, URL without query, status or error, duration, next delay. Headers and
        bodies are never logged (they carry tokens and passwords).

        Returns the last attempt's outcome with Attempts and Retryable (true when it gave up on a retryable failure).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Uri,

        [Parameter(Mandatory = $true)]
        [hashtable]$Headers,

        [Parameter(Mandatory = $true)]
        [byte[]]$Body,

        [Parameter(Mandatory = $true)]
        [string]$ContentType,

        # What is being called, for the log: 'api' or 'cognito'.
        [Parameter(Mandatory = $true)]
        [string]$Target,

        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $maxAttempts = [Math]::Max(1, [int]$Settings.MaxAttempts)
    $where = $Uri
    try { $where = ([uri]$Uri).GetLeftPart([System.UriPartial]::Path) } catch { Write-Verbose -Message "not an absolute URI: $Uri" }

    for ($attempt = 1; $attempt -le $maxAttempts; $attempt++) {
        $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
        $response = Invoke-SlaWatchHttp -Uri $Uri -Headers $Headers -Body $Body -ContentType $ContentType -TimeoutSeconds $Settings.TimeoutSeconds -Proxy ([string]$Settings.Proxy)
        $stopwatch.Stop()

        $retryable = Test-SlaWatchRetryable -Response $response
        $outcome = "HTTP $($response.StatusCode)"
        if ($response.StatusCode -eq 0) { $outcome = "network error: $($response.Error)" }

        $next = ''
        $willRetry = $retryable -and ($attempt -lt $maxAttempts)
        $delay = 0.0
        if ($willRetry) {
            if (($null -ne $response.RetryAfterSeconds) -and ($response.RetryAfterSeconds -gt $Settings.MaxDelaySeconds)) {
                $willRetry = $false
                $next = "; Retry-After of $([Math]::Round($response.RetryAfterSeconds)) s exceeds delivery.maxDelaySeconds, giving up for this run"
            }
            else {
                $delay = Get-SlaWatchRetryDelay -Attempt $attempt -BaseDelaySeconds $Settings.BaseDelaySeconds `
                    -MaxDelaySeconds $Settings.MaxDelaySeconds -RetryAfterSeconds $response.RetryAfterSeconds
                $next = "; retrying in $([Math]::Round($delay, 3)) s"
            }
        }
        $level = 'Info'
        if ($response.StatusCode -lt 200 -or $response.StatusCode -gt 299) { $level = 'Warning' }
        Write-SlaWatchLog -Level $level -Message ("{0} POST {1} attempt {2}/{3}: {4} in {5} ms{6}" -f `
                $Target, $where, $attempt, $maxAttempts, $outcome, $stopwatch.ElapsedMilliseconds, $next)

        if (-not $willRetry) {
            $response | Add-Member -NotePropertyName Attempts -NotePropertyValue $attempt -Force
            $response | Add-Member -NotePropertyName Retryable -NotePropertyValue $retryable -Force
            return $response
        }
        Start-Sleep -Milliseconds ([int][Math]::Ceiling($delay * 1000))
    }
}
