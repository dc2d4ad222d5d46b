function ConvertFrom-SlaWatchKeyValue {
    <#
        .SYNOPSIS
        Parses KEY=VALUE lines as a systemd EnvironmentFile and the Python scanner do: '#' comments, optional
        quotes around the value, optional "export ".
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [AllowEmptyCollection()]
        [AllowEmptyString()]
        [string[]]$Line = @()
    )

    $values = @{}
    foreach ($raw in $Line) {
        $text = $raw.Trim()
        if ((-not $text) -or $text.StartsWith('#') -or ($text.IndexOf('=') -lt 0)) { continue }
        $at = $text.IndexOf('=')
        $key = $text.Substring(0, $at).Trim()
        if ($key.StartsWith('export ')) { $key = $key.Substring(7).Trim() }
        $value = $text.Substring($at + 1).Trim()
        if (($value.Length -ge 2) -and ($value[0] -eq $value[-1]) -and ("'`"".IndexOf($value[0]) -ge 0)) {
            $value = $value.Substring(1, $value.Length - 2)
        }
        $values[$key] = $value
    }
    $values
}
