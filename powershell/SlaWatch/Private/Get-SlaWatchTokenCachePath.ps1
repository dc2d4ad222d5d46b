function Get-SlaWatchTokenCachePath {
    <#
        .SYNOPSIS
        Where the DPAPI-protected token cache lives: next to the credential file (scanner.credential.tokens.xml).
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingPlainTextForPassword', 'CredentialPath',
        Justification = 'The path of the credential file, not a password')]
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string]$CredentialPath
    )

    # Not ChangeExtension($CredentialPath, $null): PowerShell passes $null to a .NET string parameter as '', and
    # ChangeExtension('x.xml', '') keeps the dot ('x.' + '.tokens.xml' would give 'x..tokens.xml').
    $extension = [System.IO.Path]::GetExtension($CredentialPath)
    $CredentialPath.Substring(0, $CredentialPath.Length - $extension.Length) + '.tokens.xml'
}
