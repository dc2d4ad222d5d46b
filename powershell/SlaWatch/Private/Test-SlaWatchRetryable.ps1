function Test-SlaWatchRetryable {
    <#
        .SYNOPSIS
        True for outcomes worth retrying: network failure (0), 408, 429, any 5xx, and Cognito throttling.

        .DESCRIPTION
        Every other 4xx is final: the request itself is wrong and sending it again cannot help. Cognito reports
        throttling as 400 TooManyRequestsException, so that one case is recognised from the body.
        NotAuthorizedException (also a 400) is therefore never retried, which protects the account from lockout.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject]$Response
    )

    $code = [int]$Response.StatusCode
    if (($code -eq 0) -or ($code -eq 408) -or ($code -eq 429) -or (($code -ge 500) -and ($code -le 599))) { return $true }
    if (($code -eq 400) -and ([string]$Response.Content -match 'TooManyRequestsException')) { return $true }
    $false
}
