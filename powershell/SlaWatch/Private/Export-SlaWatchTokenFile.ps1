function Export-SlaWatchTokenFile {
    <#
        .SYNOPSIS
        Saves the tokens off Windows: a 0600 JSON file (there is no DPAPI there), like the Python scanner's cache.

        .DESCRIPTION
        The cache is keyed by a SHA-256 of endpoint|client|user, so a file left by another user or pool is
        ignored rather than sent. A failure to write is a warning, never fatal: it costs one sign-in per run.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [pscustomobject]$Cache
    )

    try {
        $record = [ordered]@{
            identity     = Get-SlaWatchTokenIdentity -Key $Cache.Key
            accessToken  = $Cache.AccessToken
            refreshToken = $Cache.RefreshToken
            expiresAt    = (New-Object -TypeName System.DateTimeOffset -ArgumentList $Cache.ExpiresAtUtc).ToUnixTimeSeconds()
        }
        $json = ConvertTo-Json -InputObject $record -Depth 2 -Compress
        Write-SlaWatchPrivateFile -Path $Path -Bytes $script:Utf8NoBom.GetBytes($json)
    }
    catch {
        Write-SlaWatchLog -Level Warning -Message "could not cache the tokens in '$Path' (kept in memory only): $($_.Exception.Message)"
    }
}
