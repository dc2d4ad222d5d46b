function ConvertTo-SlaWatchCanonicalString {
    <#
        .SYNOPSIS
        A JSON string literal in the canonical form of the state digest: ASCII only, as Python's json.dumps writes it.

        .DESCRIPTION
        " and \ escaped, \b \f \n \r \t by name, every other character outside space..~ as a lowercase \uXXXX escape
        of its UTF-16 code unit (so a character above U+FFFF is its surrogate pair, and a lone surrogate, legal in an
        NTFS name, is escaped too). Not ConvertTo-Json: its escaping differs between 5.1 and 7.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowEmptyString()]
        [string]$Value
    )

    $builder = New-Object -TypeName System.Text.StringBuilder -ArgumentList ($Value.Length + 2)
    $null = $builder.Append('"')
    foreach ($character in $Value.ToCharArray()) {
        $code = [int]$character
        switch ($code) {
            0x22 { $null = $builder.Append('\"'); continue }
            0x5C { $null = $builder.Append('\\'); continue }
            0x08 { $null = $builder.Append('\b'); continue }
            0x0C { $null = $builder.Append('\f'); continue }
            0x0A { $null = $builder.Append('\n'); continue }
            0x0D { $null = $builder.Append('\r'); continue }
            0x09 { $null = $builder.Append('\t'); continue }
            default {
                if (($code -lt 0x20) -or ($code -gt 0x7E)) { $null = $builder.Append('\u').Append($code.ToString('x4', $script:Invariant)) }
                else { $null = $builder.Append($character) }
            }
        }
    }
    $null = $builder.Append('"')
    $builder.ToString()
}
