function Get-SlaWatchTokenIdentity {
    <#
        .SYNOPSIS
        A SHA-256 (hex) of the endpoint|client|user key: what the plain-file token cache is filed under.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Key
    )

    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { $digest = $sha.ComputeHash($script:Utf8NoBom.GetBytes($Key)) } finally { $sha.Dispose() }
    -join @($digest | ForEach-Object -Process { $_.ToString('x2', $script:Invariant) })
}
