#ifndef RINGSCOPE_HTTP_H
#define RINGSCOPE_HTTP_H
/* placeholder during development */
#endif
