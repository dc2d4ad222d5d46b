function Send-SlaWatchBody {
    <#
        .SYNOPSIS
        POSTs one report body to the API with a Cognito access token, x-amz-checksum-sha256 and one re-authentication on 401.

        .DESCRIPTION
        Outcome is one of:
        - Delivered: 2xx; the API's {"reportId", "key"} answer is logged.
        - Rejected: a final 4xx (the body will never be accepted): the caller dead-letters it.
        - Failed: network failure, 408, 429 or 5xx after all retries: the caller keeps it spooled.
        - CredentialError: Cognito refused the credential, a challenge, or the API still answers 401 (after one
          fresh sign-in) or 403, or a 404/405 (a wrong api.url): the caller keeps it spooled and the run ends with
          exit code 30.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [byte[]]$Body,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCredential]$Credential,

        [string]$TokenCachePath,

        # Spool name of the body, for the log.
        [Parameter(Mandatory = $true)]
        [string]$Name
    )

    $checksum = Get-SlaWatchChecksumSha256 -Bytes $Body
    try {
        $token = Get-SlaWatchAccessToken -Settings $Settings -Credential $Credential -TokenCachePath $TokenCachePath
    }
    catch {
        return ConvertTo-SlaWatchDeliveryOutcome -ErrorRecord $_
    }

    for ($signIn = 1; $signIn -le 2; $signIn++) {
        $headers = @{
            'Authorization'         = "Bearer $token"
            'x-amz-checksum-sha256' = $checksum
        }
        $response = Invoke-SlaWatchRequest -Uri $Settings.ApiUrl -Headers $headers -Body $Body `
            -ContentType 'application/json; charset=utf-8' -Target 'api' -Settings $Settings
        $code = [int]$response.StatusCode

        if (($code -ge 200) -and ($code -le 299)) {
            $reportId = ''
            $key = ''
            try {
                $answer = ConvertFrom-Json -InputObject $response.Content -ErrorAction Stop
                $reportId = [string]$answer.reportId
                $key = [string]$answer.key
            }
            catch {
                Write-Verbose -Message 'the API answer is not JSON'
            }
            Write-SlaWatchLog -Level Info -Message ("delivered '{0}' ({1} bytes): HTTP {2} reportId={3} key={4}" -f $Name, $Body.Length, $code, $reportId, $key)
            return [pscustomobject]@{ Outcome = 'Delivered'; StatusCode = $code; Content = $response.Content; Message = $null }
        }

        if (($code -eq 401) -and ($signIn -eq 1)) {
            Write-SlaWatchLog -Level Warning -Message "the API answered 401 for '$Name'; signing in to Cognito again (once)"
            try {
                $token = Get-SlaWatchAccessToken -Settings $Settings -Credential $Credential -TokenCachePath $TokenCachePath -ForceNew
            }
            catch {
                return ConvertTo-SlaWatchDeliveryOutcome -ErrorRecord $_
            }
            continue
        }

        if (($code -eq 401) -or ($code -eq 403)) {
            $message = "the API refused the access token for '$Name' with HTTP $code even after a fresh sign-in: check that the scanner user belongs to the app client and scope the API expects"
            Write-SlaWatchLog -Level Error -Message $message
            return [pscustomobject]@{ Outcome = 'CredentialError'; StatusCode = $code; Content = $response.Content; Message = $message }
        }

        if (($code -eq 404) -or ($code -eq 405)) {
            # No such resource or method: api.url is wrong, not the report. Keep it spooled (exit 30) rather than
            # dead-lettering every good report until someone fixes the URL.
            $message = "the API answered HTTP $code for '$Name': check api.url (it must end in /reports); the report stays in the spool"
            Write-SlaWatchLog -Level Error -Message $message
            return [pscustomobject]@{ Outcome = 'CredentialError'; StatusCode = $code; Content = $response.Content; Message = $message }
        }

        if ($response.Retryable -or (Test-SlaWatchRetryable -Response $response)) {
            $message = "could not deliver '$Name' after $($response.Attempts) attempt(s): last outcome HTTP $code $($response.Error)".Trim()
            Write-SlaWatchLog -Level Warning -Message $message
            return [pscustomobject]@{ Outcome = 'Failed'; StatusCode = $code; Content = $response.Content; Message = $message }
        }

        return [pscustomobject]@{ Outcome = 'Rejected'; StatusCode = $code; Content = $response.Content; Message = "HTTP $code" }
    }
}
