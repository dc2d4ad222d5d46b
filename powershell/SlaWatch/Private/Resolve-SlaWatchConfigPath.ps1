function Resolve-SlaWatchConfigPath {
    <#
        .SYNOPSIS
        The configuration file: -ConfigPath, else $env:SLAWATCH_CONFIG, else the default location.

        .DESCRIPTION
        The same order as slawatch scan: %ProgramData%\SlaWatch\config.json on Windows, /etc/slawatch/config.json
        elsewhere.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [AllowEmptyString()]
        [string]$Path
    )

    if ($Path) { return $Path }
    if ($env:SLAWATCH_CONFIG) { return $env:SLAWATCH_CONFIG }
    if ($script:IsWindowsPlatform) {
        $root = $env:ProgramData
        if (-not $root) { $root = 'C:\ProgramData' }
        return [System.IO.Path]::Combine($root, 'SlaWatch', 'config.json')
    }
    '/etc/slawatch/config.json'
}
