function Import-SlaWatchTokenFile {
    <#
        .SYNOPSIS
        Loads the 0600 JSON token cache written by Export-SlaWatchTokenFile; $null when there is none usable.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        # Endpoint|client|user the cache must belong to.
        [Parameter(Mandatory = $true)]
        [string]$Key
    )

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    try {
        $record = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($Path, $script:Utf8NoBom)) -ErrorAction Stop
        if ([string]$record.identity -ne (Get-SlaWatchTokenIdentity -Key $Key)) { return $null }
        # Unix seconds, as the Python scanner's cache: no date string for ConvertFrom-Json to reinterpret.
        $expires = [DateTimeOffset]::FromUnixTimeSeconds([long]$record.expiresAt).UtcDateTime
        [pscustomobject]@{
            Key          = $Key
            AccessToken  = [string]$record.accessToken
            RefreshToken = $record.refreshToken
            ExpiresAtUtc = $expires
        }
    }
    catch {
        Write-SlaWatchLog -Level Info -Message "ignoring the token cache '$Path': $($_.Exception.Message)"
        $null
    }
}
