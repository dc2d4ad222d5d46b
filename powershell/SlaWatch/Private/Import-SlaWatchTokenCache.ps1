function Import-SlaWatchTokenCache {
    <#
        .SYNOPSIS
        Loads the DPAPI-protected token cache written by Export-SlaWatchTokenCache; $null when there is none usable.
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

    if (-not $script:IsWindowsPlatform) { return Import-SlaWatchTokenFile -Path $Path -Key $Key }
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    try {
        $record = Import-Clixml -LiteralPath $Path -ErrorAction Stop
        if ($record.Key -ne $Key) { return $null }
        $refresh = $null
        if ($null -ne $record.RefreshToken) {
            $refresh = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $record.RefreshToken).Password
        }
        [pscustomobject]@{
            Key          = [string]$record.Key
            AccessToken  = (New-Object -TypeName System.Net.NetworkCredential -ArgumentList '', $record.AccessToken).Password
            RefreshToken = $refresh
            ExpiresAtUtc = [DateTime]::Parse($record.ExpiresAtUtc, $script:Invariant, [System.Globalization.DateTimeStyles]::RoundtripKind)
        }
    }
    catch {
        Write-SlaWatchLog -Level Info -Message "ignoring the token cache '$Path': $($_.Exception.Message)"
        $null
    }
}
