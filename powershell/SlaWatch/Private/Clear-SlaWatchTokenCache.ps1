function Clear-SlaWatchTokenCache {
    <#
        .SYNOPSIS
        Forgets the cached tokens: in memory always, on disk when a path is given.
    #>
    [CmdletBinding()]
    param(
        [string]$Path
    )

    $script:SlaWatchTokenCache = $null
    if ($Path -and (Test-Path -LiteralPath $Path -PathType Leaf)) {
        Remove-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue
    }
}
