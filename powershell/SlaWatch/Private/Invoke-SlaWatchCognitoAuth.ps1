function Invoke-SlaWatchCognitoAuth {
    <#
        .SYNOPSIS
        Calls Cognito InitiateAuth over plain HTTPS (no AWS module) and returns the tokens.

        .DESCRIPTION
        POST to auth.endpoint (default https://cognito-idp.<region>.amazonaws.com/) with
        X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth and Content-Type application/x-amz-json-1.1,
        through the module's one retry loop (Invoke-SlaWatchRequest).

        - USER_PASSWORD_AUTH with the PSCredential, or REFRESH_TOKEN_AUTH with a refresh token.
        - NotAuthorizedException is a 400, which the retry loop never retries (lockout protection); it becomes a
          SlaWatch.CredentialError (exit code 30), as does any other 4xx from Cognito.
        - A ChallengeName in the answer (NEW_PASSWORD_REQUIRED, SMS_MFA, ...) is a configuration error: a
          scheduled scanner cannot answer challenges.
        - Network failures and 5xx that outlast the retries become SlaWatch.DeliveryFailed (exit code 20).

        Returns AccessToken, RefreshToken (null on refresh: Cognito does not rotate it) and ExpiresAtUtc.
        Neither the request body nor the tokens are ever logged.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Credential')]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true, ParameterSetName = 'Credential')]
        [System.Management.Automation.PSCredential]$Credential,

        [Parameter(Mandatory = $true, ParameterSetName = 'Refresh')]
        [string]$RefreshToken,

        # Cognito user the refresh token belongs to, for messages only.
        [Parameter(ParameterSetName = 'Refresh')]
        [string]$Account = ''
    )

    if ($PSCmdlet.ParameterSetName -eq 'Credential') {
        $flow = 'USER_PASSWORD_AUTH'
        $Account = $Credential.UserName
        $parameters = [ordered]@{
            USERNAME = $Credential.UserName
            PASSWORD = $Credential.GetNetworkCredential().Password
        }
    }
    else {
        $flow = 'REFRESH_TOKEN_AUTH'
        $parameters = [ordered]@{ REFRESH_TOKEN = $RefreshToken }
    }
    $payload = [ordered]@{
        AuthFlow       = $flow
        ClientId       = $Settings.ClientId
        AuthParameters = $parameters
    }
    $body = $script:Utf8NoBom.GetBytes((ConvertTo-Json -InputObject $payload -Depth 5 -Compress))
    $payload = $null
    $parameters = $null

    $headers = @{ 'X-Amz-Target' = 'AWSCognitoIdentityProviderService.InitiateAuth' }
    $response = Invoke-SlaWatchRequest -Uri $Settings.AuthEndpoint -Headers $headers -Body $body `
        -ContentType 'application/x-amz-json-1.1' -Target 'cognito' -Settings $Settings
    [Array]::Clear($body, 0, $body.Length)

    if (($response.StatusCode -ge 200) -and ($response.StatusCode -le 299)) {
        try {
            $answer = ConvertFrom-Json -InputObject $response.Content -ErrorAction Stop
        }
        catch {
            $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.DeliveryFailed' -TargetObject $Settings.AuthEndpoint `
                        -Message "Cognito answered $flow with a body that is not JSON"))
        }
        $challenge = $answer.PSObject.Properties['ChallengeName']
        if (($null -ne $challenge) -and $challenge.Value) {
            $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category AuthenticationError `
                        -TargetObject $Account -Message (("Cognito asks user '{0}' to answer the challenge {1}; a scheduled scanner cannot. " -f $Account, $challenge.Value) +
                        'Complete it once interactively (e.g. set a permanent password, disable MFA for this service user), then run again.')))
        }
        $result = $answer.PSObject.Properties['AuthenticationResult']
        if (($null -eq $result) -or ($null -eq $result.Value) -or (-not $result.Value.AccessToken)) {
            $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category AuthenticationError `
                        -TargetObject $Account -Message "Cognito answered $flow without an AuthenticationResult"))
        }
        $tokens = $result.Value
        $expiresIn = 3600
        if ($tokens.ExpiresIn) { $expiresIn = [int]$tokens.ExpiresIn }
        $refresh = $null
        if ($null -ne $tokens.PSObject.Properties['RefreshToken']) { $refresh = [string]$tokens.RefreshToken }
        return [pscustomobject]@{
            AccessToken  = [string]$tokens.AccessToken
            RefreshToken = $refresh
            ExpiresAtUtc = [DateTime]::UtcNow.AddSeconds($expiresIn)
        }
    }

    if ($response.Retryable -or ($response.StatusCode -eq 0)) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.DeliveryFailed' -Category ConnectionError `
                    -TargetObject $Settings.AuthEndpoint -Message ("Cognito could not be reached for {0} after {1} attempt(s): {2}" -f `
                        $flow, $response.Attempts, ("HTTP $($response.StatusCode) $($response.Error)").Trim())))
    }

    # A final 4xx: read Cognito's error type and message (they contain no secrets).
    $errorType = 'HTTP ' + $response.StatusCode
    $errorMessage = ''
    try {
        $problem = ConvertFrom-Json -InputObject $response.Content -ErrorAction Stop
        if ($problem.__type) { $errorType = ([string]$problem.__type -split '#')[-1] }
        if ($problem.message) { $errorMessage = ([string]$problem.message).TrimEnd('.') }

    }
    catch {
        Write-Verbose -Message 'Cognito error body is not JSON'
    }
    $advice = ''
    if ($errorType -eq 'NotAuthorizedException') {
        $advice = ' Not retried (an account lockout would follow). Check the password stored with Set-SlaWatchCredential, or run it again.'
    }
    elseif ($errorType -eq 'InvalidParameterException') {
        $advice = ' Check that the app client allows ALLOW_USER_PASSWORD_AUTH and ALLOW_REFRESH_TOKEN_AUTH and has no client secret.'
    }
    elseif ($errorType -eq 'ResourceNotFoundException') {
        $advice = ' Check auth.clientId and auth.region.'
    }
    $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category AuthenticationError `
                -TargetObject $Account -Message ("Cognito refused {0} for user '{1}': {2} {3}.{4}" -f $flow, $Account, $errorType, $errorMessage, $advice)))
}
