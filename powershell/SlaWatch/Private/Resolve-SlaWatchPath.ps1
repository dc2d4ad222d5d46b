function Resolve-SlaWatchPath {
    <#
        .SYNOPSIS
        Makes a configured path absolute: relative paths are taken relative to the configuration file's folder.

        .DESCRIPTION
        A scheduled task starts in C:\Windows\System32, so a path relative to the working directory would point
        somewhere surprising. The path does not have to exist.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$Path,

        [Parameter(Mandatory = $true)]
        [string]$BasePath
    )

    if ([System.IO.Path]::IsPathRooted($Path)) {
        return $Path
    }
    [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($BasePath, $Path))
}
