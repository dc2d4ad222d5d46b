function Get-SlaWatchAccessToken {
    <#
        .SYNOPSIS
        Returns a Cognito access token for the API, from cache when it is still good.

        .DESCRIPTION
        The API's Cognito authorizer checks OAuth scopes, which only access tokens carry, so the access token
        (not the ID token) is what goes into "Authorization: Bearer".
        Order: memory cache -> DPAPI-protected disk cache next to the credential file -> REFRESH_TOKEN_AUTH ->
        USER_PASSWORD_AUTH. A token is used until 5 minutes before it expires. -ForceNew (after a 401 from the
        API) drops both caches and signs in with the credential again.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCredential]$Credential,

        # Where to keep the DPAPI-protected token cache; empty for memory only.
        [string]$TokenCachePath,

        [switch]$ForceNew
    )

    $key = '{0}|{1}|{2}' -f $Settings.AuthEndpoint, $Settings.ClientId, $Credential.UserName
    $margin = [TimeSpan]::FromMinutes(5)

    if ($ForceNew) {
        Clear-SlaWatchTokenCache -Path $TokenCachePath
    }
    else {
        $cache = $script:SlaWatchTokenCache
        if (($null -eq $cache) -or ($cache.Key -ne $key)) {
            $cache = $null
            if ($TokenCachePath) { $cache = Import-SlaWatchTokenCache -Path $TokenCachePath -Key $key }
        }
        if ($null -ne $cache) {
            if (($cache.ExpiresAtUtc - $margin) -gt [DateTime]::UtcNow) {
                $script:SlaWatchTokenCache = $cache
                return $cache.AccessToken
            }
            if ($cache.RefreshToken) {
                try {
                    $tokens = Invoke-SlaWatchCognitoAuth -Settings $Settings -RefreshToken $cache.RefreshToken -Account $Credential.UserName
                    $refreshToken = $cache.RefreshToken
                    if ($tokens.RefreshToken) { $refreshToken = $tokens.RefreshToken }
                    $script:SlaWatchTokenCache = [pscustomobject]@{
                        Key          = $key
                        AccessToken  = $tokens.AccessToken
                        RefreshToken = $refreshToken
                        ExpiresAtUtc = $tokens.ExpiresAtUtc
                    }
                    Write-SlaWatchLog -Level Info -Message "renewed the access token with the refresh token (valid until $(Format-SlaWatchDate -Date $tokens.ExpiresAtUtc))"
                    if ($TokenCachePath) { Export-SlaWatchTokenCache -Path $TokenCachePath -Cache $script:SlaWatchTokenCache }
                    return $tokens.AccessToken
                }
                catch {
                    if ($_.FullyQualifiedErrorId -notlike 'SlaWatch.CredentialError*') { throw }
                    Write-SlaWatchLog -Level Info -Message 'the refresh token was refused (expired or revoked); signing in with the stored credential'
                }
            }
        }
    }

    $tokens = Invoke-SlaWatchCognitoAuth -Settings $Settings -Credential $Credential
    $script:SlaWatchTokenCache = [pscustomobject]@{
        Key          = $key
        AccessToken  = $tokens.AccessToken
        RefreshToken = $tokens.RefreshToken
        ExpiresAtUtc = $tokens.ExpiresAtUtc
    }
    Write-SlaWatchLog -Level Info -Message "signed in to Cognito as '$($Credential.UserName)' (access token valid until $(Format-SlaWatchDate -Date $tokens.ExpiresAtUtc))"
    if ($TokenCachePath) { Export-SlaWatchTokenCache -Path $TokenCachePath -Cache $script:SlaWatchTokenCache }
    $tokens.AccessToken
}
