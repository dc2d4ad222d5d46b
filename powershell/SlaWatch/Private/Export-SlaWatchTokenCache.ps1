function Export-SlaWatchTokenCache {
    <#
        .SYNOPSIS
        Saves the tokens next to the credential file, protected with DPAPI (Windows only).

        .DESCRIPTION
        The tokens are stored as SecureStrings through Export-Clixml, which encrypts them with DPAPI for the
        current user on this computer, like the credential itself. Elsewhere Export-Clixml does not encrypt, so
        the cache is a 0600 JSON file instead (Export-SlaWatchTokenFile). A failure to write is a warning, never fatal.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [pscustomobject]$Cache
    )

    if (-not $script:IsWindowsPlatform) { return Export-SlaWatchTokenFile -Path $Path -Cache $Cache }
    try {
        $refresh = $null
        if ($Cache.RefreshToken) {
            $refresh = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $Cache.RefreshToken).SecurePassword
        }
        $record = [pscustomobject]@{
            Key          = $Cache.Key
            ExpiresAtUtc = $Cache.ExpiresAtUtc.ToString('o', $script:Invariant)
            AccessToken  = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $Cache.AccessToken).SecurePassword
            RefreshToken = $refresh
        }
        $directory = Split-Path -Path $Path -Parent
        if ($directory -and -not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
        Export-Clixml -LiteralPath $Path -InputObject $record -Force -ErrorAction Stop
    }
    catch {
        Write-SlaWatchLog -Level Warning -Message "could not cache the tokens in '$Path' (kept in memory only): $($_.Exception.Message)"
    }
}
