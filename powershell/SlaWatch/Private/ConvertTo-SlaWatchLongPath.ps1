function ConvertTo-SlaWatchLongPath {
    <#
        .SYNOPSIS
        Adds the \\?\ prefix on Windows PowerShell 5.1 so .NET Framework can open paths over 260 characters.

        .DESCRIPTION
        C:\data -> \\?\C:\data and \\server\share -> \\?\UNC\server\share. The prefix switches off Win32 path
        normalisation, so the path is made absolute and given backslashes first. PowerShell 7 (.NET) handles long
        paths itself and gets the path unchanged, as do relative and already-prefixed paths.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        # For tests: behave as on Windows PowerShell 5.1 whatever the host.
        [switch]$Force
    )

    if (-not ($script:NeedsLongPathPrefix -or $Force)) { return $Path }
    if ($Path.StartsWith('\\?\') -or $Path.StartsWith('\\.\')) { return $Path }

    $full = $Path.Replace('/', '\')
    if ($full.StartsWith('\\')) {
        return '\\?\UNC\' + $full.Substring(2)
    }
    if ($full -match '^[A-Za-z]:\\') {
        return '\\?\' + $full
    }
    $Path
}
