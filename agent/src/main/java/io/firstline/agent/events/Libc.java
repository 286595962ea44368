package io.firstline.agent.events;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few C library calls the event sources need that Java has no API for:
 * non-blocking reads of {@code /dev/kmsg} (one record per read), seeking it
 * to its end, {@code poll(2)} on several descriptors (including the
 * POLLPRI that {@code /proc/self/mountinfo} raises when mounts change), and a
 * netlink socket for link changes. Linux only; constants are the generic
 * Linux values (x86-64 and arm64 alike).
 */
interface Libc extends Library {
    Libc C = Native.load("c", Libc.class);

    int O_RDONLY = 0;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int SEEK_END = 2;
    short POLLIN = 0x1;
    short POLLPRI = 0x2;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;
    int EINTR = 4;
    int EAGAIN = 11;
    int EINVAL = 22;
    int EPIPE = 32;
    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_NONBLOCK = 04000;
    int SOCK_CLOEXEC = 02000000;
    int NETLINK_ROUTE = 0;
    int RTMGRP_LINK = 1;

    int open(String path, int flags) throws LastErrorException;

    NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

    NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    NativeLong lseek(int fd, NativeLong offset, int whence) throws LastErrorException;

    int poll(Pointer fds, int nfds, int timeoutMs) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int close(int fd) throws LastErrorException;
}
