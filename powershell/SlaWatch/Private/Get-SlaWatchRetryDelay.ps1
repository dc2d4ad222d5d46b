function Get-SlaWatchRetryDelay {
    <#
        .SYNOPSIS
        Seconds to wait before the next attempt: exponential backoff with full jitter and a cap, or Retry-After.

        .DESCRIPTION
        Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random delay between 0 and
        min(MaxDelaySeconds, BaseDelaySeconds * 2^(Attempt-1)). A Retry-After from the server wins over the
        jitter when present (the caller stops retrying when it exceeds MaxDelaySeconds).
    #>
    [CmdletBinding()]
    [OutputType([double])]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateRange(1, 1000)]
        [int]$Attempt,

        [Parameter(Mandatory = $true)]
        [double]$BaseDelaySeconds,

        [Parameter(Mandatory = $true)]
        [double]$MaxDelaySeconds,

        [AllowNull()]
        [object]$RetryAfterSeconds
    )

    if ($null -ne $RetryAfterSeconds) {
        return [double]$RetryAfterSeconds
    }
    $ceiling = [Math]::Min($MaxDelaySeconds, $BaseDelaySeconds * [Math]::Pow(2, $Attempt - 1))
    if ($ceiling -le 0) { return 0.0 }
    [double](Get-Random -Minimum 0.0 -Maximum $ceiling)
}
