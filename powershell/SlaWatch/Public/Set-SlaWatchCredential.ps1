function Set-SlaWatchCredential {
    <#
        .SYNOPSIS
        Stores the scanner's Cognito credential for the account the scheduled task runs as: DPAPI on Windows, a
        0600 file elsewhere.

        .DESCRIPTION
        On Windows it writes the PSCredential with Export-Clixml, which encrypts the password with DPAPI for the
        current user on the current computer: only that account, on that server, can read it back. Run it AS THE
        TASK'S ACCOUNT, on the server that runs the task. For a gMSA (no password to type, no interactive logon)
        run it through a one-off scheduled task as the gMSA, with -FromFile: the Cognito login is read from that
        file, which is deleted at once (see powershell/README.md, step by step).

        Off Windows there is no DPAPI: it writes the KEY=VALUE file (mode 0600) that SLAWATCH_CREDENTIALS_FILE
        points at, which the module and the Python scanner both read. -Path defaults to $env:SLAWATCH_CREDENTIALS_FILE.

        The password never goes into the configuration or onto a command line. Any cached tokens next to the
        file are deleted, so the next run signs in with the new credential.

        .PARAMETER Credential
        The Cognito user name and password of the scanner. Prompted for when neither -Credential, -FromFile
        nor -FromStdin is given.

        .PARAMETER FromFile
        A one-time file with the lines SLAWATCH_USERNAME=<user> and SLAWATCH_PASSWORD=<password> (the format of
        the Linux credentials file); it is deleted as soon as it has been read. No prompt.

        .PARAMETER FromStdin
        Read the same two lines from standard input (up to an empty line or the end). No prompt.

        .PARAMETER Path
        Where to write the file. Default on Windows: C:\ProgramData\SlaWatch\scanner.credential.xml.

        .PARAMETER ConfigPath
        Take the path from auth.credentialPath of this configuration file instead (Windows).

        .EXAMPLE
        Set-SlaWatchCredential -ConfigPath C:\ProgramData\SlaWatch\slawatch.json

        Prompts for the scanner's user name and password and stores them where the configuration expects them.

        .EXAMPLE
        Set-SlaWatchCredential -ConfigPath C:\ProgramData\SlaWatch\slawatch.json -FromFile C:\ProgramData\SlaWatch\once.txt

        No prompt: what a one-off scheduled task running as a gMSA runs. once.txt is deleted after reading.

        .OUTPUTS
        System.IO.FileInfo
    #>
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Path')]
    [OutputType([System.IO.FileInfo])]
    param(
        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential = [System.Management.Automation.PSCredential]::Empty,

        [string]$FromFile,

        [switch]$FromStdin,

        [Parameter(ParameterSetName = 'Path')]
        [string]$Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'Config')]
        [string]$ConfigPath
    )

    if ($FromFile -or $FromStdin) {
        $Credential = Get-SlaWatchSuppliedCredential -FromFile $FromFile -FromStdin:$FromStdin
    }
    elseif ($Credential -eq [System.Management.Automation.PSCredential]::Empty) {
        $Credential = Get-Credential -Message 'Cognito user name and password of this SlaWatch scanner'
        if ($null -eq $Credential) { return }
    }

    if ($PSCmdlet.ParameterSetName -eq 'Config') {
        $Path = (Import-SlaWatchConfig -Path $ConfigPath).CredentialPath
    }
    elseif ((-not $Path) -and $script:IsWindowsPlatform) {
        $Path = [System.IO.Path]::Combine([Environment]::GetFolderPath('CommonApplicationData'), 'SlaWatch', 'scanner.credential.xml')
    }
    elseif (-not $Path) {
        $Path = [Environment]::GetEnvironmentVariable('SLAWATCH_CREDENTIALS_FILE')
        if (-not $Path) {
            $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.CredentialError' -Category InvalidArgument `
                        -Message 'give -Path (the file SLAWATCH_CREDENTIALS_FILE will name), or set SLAWATCH_CREDENTIALS_FILE'))
        }
    }

    $account = '{0}\{1}' -f [Environment]::UserDomainName, [Environment]::UserName
    if ($PSCmdlet.ShouldProcess($Path, "Store the credential of '$($Credential.UserName)', readable only by $account on $([Environment]::MachineName)")) {
        if ($script:IsWindowsPlatform) {
            $directory = Split-Path -Path $Path -Parent
            if ($directory -and -not (Test-Path -LiteralPath $directory -PathType Container)) {
                $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
            }
            Export-Clixml -LiteralPath $Path -InputObject $Credential -Force -ErrorAction Stop
            Clear-SlaWatchTokenCache -Path (Get-SlaWatchTokenCachePath -CredentialPath $Path)
        }
        else {
            Export-SlaWatchCredentialFile -Path $Path -Credential $Credential
            Clear-SlaWatchTokenCache
        }
        Write-Verbose -Message "stored the credential of '$($Credential.UserName)' in '$Path' for $account"
        Get-Item -LiteralPath $Path
    }
}
